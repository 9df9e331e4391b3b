"""One day through the API and the pages together (issue 17 item 6): the corporation's rental
system imports its tenancies; a corporation worker logs a visit with a signal and refers it on
the pages; welfare's case system hears of it by an event, reads the referral, accepts and
completes it; the worker's pages show who did; and the access log holds each step, by the
channel and the actor that took it."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, HomeVisit, Household, Referral
from cases.services.consents import consent_record
from partners.models import ApiClient
from tests.factories import MembershipFactory, NeighbourhoodFactory, agree

pytestmark = pytest.mark.django_db
Scope = ApiClient.Scope
BATCH = json.loads((Path(__file__).parent / "cases" / "data" / "vera_batch.json").read_text())
API = "/api/v1"


@pytest.fixture(autouse=True)
def _eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


def steps(household) -> list[tuple]:
    """The household's access log in order: channel, who (the system or the person), what."""
    rows = AccessLog.objects.filter(household=household).order_by("at", "pk")
    return [
        (row.channel, row.agent_name or row.user.email, row.action, row.detail.get("list", ""))
        for row in rows.select_related("user")
    ]


def test_a_tenancy_from_the_rental_system_to_a_completed_referral(
    call,
    client,
    api_key,
    login,
    corporation,
    welfare,
    categories,
    subscribe,
    receiver,
    django_capture_on_commit_callbacks,
):
    lonely = categories[0]
    # Each organisation's administrator connects its own system (Beheer › Koppelingen).
    _rental, rental = api_key(corporation, name="Huursysteem")
    case, case_system = api_key(welfare, name="Welzijnsregistratie")
    # Welfare's system listens for referrals it receives (Koppelingen › abonnement).
    subscribe(welfare, receiver.url(), "nl.inclusie.verwijzing.ontvangen", client=case)
    district = NeighbourhoodFactory(cbs_code="WK990101", kind="wijk")  # where the batch lives
    NeighbourhoodFactory(cbs_code="BU99010101", kind="buurt", parent=district)

    # 1. The rental system sends its tenancies.
    sent = call(
        rental, "post", f"{API}/huurovereenkomsten/_importeren", {"huurovereenkomsten": BATCH}
    )
    assert sent.status_code == 202, sent.content
    assert sent.json()["huishoudens"]["nieuw"] == 3
    household = Household.objects.get(corporation=corporation, tenancy_reference="HC-3001")

    # 2. A corporation worker visits and sees loneliness, on the pages.
    worker = MembershipFactory(
        organisation=corporation, role="medewerker", user__email="wijk@test.example"
    )
    pages = login(worker)
    today = timezone.localdate().isoformat()
    visit = pages.post(
        reverse("cases:visit_create", args=[household.pk]),
        {
            "visited_on": today,
            "kind": "regulier",
            "outcome": "signalen",
            f"c{lonely.pk}": "on",
            f"c{lonely.pk}_severity": "midden",
            f"c{lonely.pk}_description": "Mevrouw ziet weinig mensen",
        },
    )
    assert visit.status_code == 302
    signal = HomeVisit.objects.get(household=household).signals.get()

    # 3. With the household's consent and the agreement with welfare, the worker refers.
    agree(corporation, welfare, lonely)
    consent_record(
        actor=worker,
        household=household,
        receiving_organisation=welfare,
        purpose="Contact met de buurt",
        categories=[lonely],
        given_how="mondeling",
        given_on=timezone.localdate(),
    )
    with django_capture_on_commit_callbacks(execute=True):  # the request's commit
        referred = pages.post(
            reverse("referrals:send", args=[household.pk]),
            {"to_organisation": welfare.pk, "signals": [signal.pk], "message": "Graag contact"},
        )
    assert referred.status_code == 302
    referral = Referral.objects.get(household=household)

    # 4. Welfare's case system hears of it (a signed CloudEvent with ids only), finds it in its
    #    inbox, reads it, accepts and completes it.
    [heard] = receiver.received
    event = json.loads(heard.body)
    assert event["type"] == "nl.inclusie.verwijzing.ontvangen"
    assert event["subject"] == f"verwijzingen/{referral.pk}"
    assert "Graag contact" not in heard.body.decode() and "Jansen" not in heard.body.decode()
    inbox = call(case_system, "get", f"{API}/verwijzingen?status=verzonden").json()
    assert [row["id"] for row in inbox["resultaten"]] == [referral.pk]
    one = call(case_system, "get", inbox["resultaten"][0]["url"]).json()
    assert one["bericht"] == "Graag contact"
    assert [s["categorie"] for s in one["signalen"]] == [lonely.name]
    accepted = call(
        case_system,
        "post",
        f"{API}/verwijzingen/{referral.pk}/_accepteren",
        {"versie": one["versie"]},
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "geaccepteerd"
    done = call(
        case_system,
        "post",
        f"{API}/verwijzingen/{referral.pk}/_afronden",
        {"versie": accepted.json()["versie"], "uitkomst": "geholpen", "toelichting": "Buurtkamer"},
    )
    assert done.status_code == 200 and done.json()["status"] == "afgerond"

    # 5. The worker's pages say so: the referral is completed, the timeline names the system.
    page = pages.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Afgerond" in page and "Geholpen" in page
    timeline = pages.get(f"/huishoudens/{household.pk}/").content.decode()
    assert "systeem Welzijnsregistratie, Welzijn Testdorp" in timeline
    assert "systeem Huursysteem" in timeline  # the import, too

    # 6. Each step is in the household's access log, by the one who took it.
    log = steps(household)
    rental_import = ("api", "Huursysteem", "import", "")
    visit_saved = ("web", "wijk@test.example", "create", "")
    welfare_list = ("api", "Welzijnsregistratie", "search", "")
    welfare_read = ("api", "Welzijnsregistratie", "view", "")
    welfare_change = ("api", "Welzijnsregistratie", "update", "")
    assert log[0] == rental_import
    for step in (visit_saved, welfare_list, welfare_read):
        assert step in log, (step, log)
    assert log.count(welfare_change) == 2, log  # accepted, then completed
    order = [
        log.index(s)
        for s in (rental_import, visit_saved, welfare_list, welfare_read, welfare_change)
    ]
    assert order == sorted(order), log
