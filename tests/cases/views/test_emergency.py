"""The emergency pages (issue 7, ADR 0010): a worker opens a household for the window and sees
the emergency page, nothing else of the household; every look-up is logged, counted, and gets
one neutral answer."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import AccessLog, EmergencyAccess
from cases.selectors.households import HouseholdFilters, household_search
from partners.models import Notification
from tests.factories import HouseholdFactory, MembershipFactory, SignalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def url(name, *args):
    return reverse(f"privacy:{name}", args=args)


def test_a_worker_opens_a_household_in_an_emergency_and_sees_it_for_the_window(
    login, care_worker, household, privacy_officer, django_capture_on_commit_callbacks
):
    client = login(care_worker)
    form = {"adres": "9901AB 12a", "reason": "Kort"}
    response = client.post(url("emergency_open"), form)
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert "Kort" in response.content.decode(), "what was typed stays"
    response = client.post(
        url("emergency_open"),
        {**form, "adres": "9901AB 99", "reason": "Rook uit de woning, niemand doet open."},
    )
    assert "Er is geen noodtoegang geopend voor dit adres." in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("emergency_open"), {**form, "reason": "Buren horen al twee dagen niets."}
        )
    access = EmergencyAccess.objects.get()
    assert response["Location"] == url("emergency_detail", access.pk)
    assert Notification.objects.get(kind="emergency_access").recipient == privacy_officer.user
    page = client.get(url("emergency_detail", access.pk))
    assert "Anna de Test" in page.content.decode()
    assert AccessLog.objects.filter(action="view", legal_basis="noodtoegang").count() == 1
    EmergencyAccess.objects.filter(pk=access.pk).update(ends_at=timezone.now())
    page = client.get(url("emergency_detail", access.pk)).content.decode()
    assert "Anna de Test" not in page and 'data-testid="emergency-ended"' in page
    colleague = MembershipFactory(organisation=care_worker.organisation, role="medewerker")
    assert login(colleague).get(url("emergency_detail", access.pk)).status_code == 404


def test_a_reason_of_one_word_repeated_is_explained_beside_the_field(login, care_worker, household):
    typed = "Test test test test test test"
    response = login(care_worker).post(
        url("emergency_open"), {"adres": "9901AB 12a", "reason": typed}
    )
    assert response.status_code == 200
    assert "in je eigen woorden" in " ".join(response.context["form"].errors["reason"])
    assert typed in response.content.decode(), "what was typed stays"
    assert not EmergencyAccess.objects.exists()


def test_the_household_page_list_search_and_consent_pages_stay_closed_in_an_emergency(
    opened, login, corporation_worker, other_household
):
    client = login(corporation_worker)
    pk = other_household.pk
    for path in (
        reverse("cases:household_detail", args=[pk]),
        reverse("cases:visit_create", args=[pk]),
        f"/huishoudens/{pk}/toestemming/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(reverse("cases:visit_create", args=[pk])).status_code == 404
    listed = client.get(reverse("cases:household_list"), {"q": other_household.postcode})
    assert listed.status_code == 200
    assert other_household.street not in listed.content.decode()
    filters = HouseholdFilters(query=f"{other_household.postcode} {other_household.house_number}")
    assert not household_search(actor=corporation_worker, filters=filters).exists()
    assert not AccessLog.objects.filter(household=other_household, action="view").exists()


def test_the_emergency_page_shows_what_an_emergency_needs_within_the_window_only(
    opened, login, corporation_worker, other_household
):
    SignalFactory(household=other_household, description="Fragment-signaaltekst-trap")
    client = login(corporation_worker)
    page = client.get(reverse("privacy:emergency_detail", args=[opened.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert other_household.street in html and other_household.postcode in html
    assert "Fragment-signaaltekst-trap" not in html, "categories of open signals, not the text"
    row = AccessLog.objects.get(action="view", household=other_household)
    assert row.legal_basis == "noodtoegang"
    EmergencyAccess.objects.filter(pk=opened.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    html = client.get(reverse("privacy:emergency_detail", args=[opened.pk])).content.decode()
    assert other_household.street not in html and 'data-testid="emergency-ended"' in html
    assert AccessLog.objects.filter(action="view", household=other_household).count() == 1


# --- the look-up: logged, counted, one neutral answer ------------------------------------------


def test_every_emergency_look_up_is_logged_and_gives_one_answer_when_nothing_opens(
    login, care_worker, corporation_worker, household, corporation
):
    from cases.access.log import query_digest

    HouseholdFactory(corporation=corporation, postcode="9901 AB", house_number=30)
    HouseholdFactory(
        corporation=corporation, postcode="9901 AB", house_number=30, house_number_addition="b"
    )
    reason = "Buren horen al twee dagen niets; de deur is dicht."
    answers = {}
    for who, actor, address in (
        ("nobody", care_worker, "9901AB 99"),
        ("several", care_worker, "9901AB 30"),
        ("visible", corporation_worker, "9901AB 12a"),
    ):
        response = login(actor).post(
            reverse("privacy:emergency_open"), {"adres": address, "reason": reason}
        )
        assert response.status_code == 200
        answers[who] = response.context["form"].errors["adres"]
    assert answers["nobody"] == answers["several"] == answers["visible"]
    assert not EmergencyAccess.objects.exists()
    rows = list(AccessLog.objects.order_by("pk"))
    assert {(r.action, r.legal_basis) for r in rows} == {("search", "noodtoegang")}
    assert [r.household_id for r in rows][0] is None
    assert sorted(r.household.house_number for r in rows[1:3]) == [30, 30]
    assert rows[1].at == rows[2].at, "one look-up, one time"
    assert rows[3].household == household and rows[3].household_corporation == corporation
    assert rows[0].detail == {"emergency": query_digest("9901 AB 99 "), "households": []}
    assert "9901" not in str([r.detail for r in rows])


def test_emergency_look_ups_are_counted_in_the_daily_report(
    login, care_worker, care, household, corporation_worker
):
    from cases.services.access_reports import access_findings

    reason = "Buren horen al twee dagen niets; de deur is dicht."
    client = login(care_worker)
    for address in ("9901AB 99", "9901AB 98", "9901AB 12a"):
        client.post(reverse("privacy:emergency_open"), {"adres": address, "reason": reason})
    assert EmergencyAccess.objects.count() == 1, "the third look-up opened the household"
    findings = access_findings(day=timezone.localdate())[care.pk]
    lookups = [f for f in findings if f["kind"] == "emergency_lookups"]
    assert lookups == [
        {
            "kind": "emergency_lookups",
            "user": care_worker.user_id,
            "organisation": care.pk,
            "household": None,
            "lookups": 3,
        }
    ]
