"""The start page's counts of what needs a person today (inclusie.views.start, ADR 0022): shown
with the list each opens, every link a page the person may open, a bounded number of queries
that does not grow with the rows, and for a shared worker per organisation."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import AccessLog, CaseAction, Referral
from cases.services import joint_cases
from cases.services.referrals import referral_send
from partners.actor import SESSION_KEY
from tests.factories import SignalFactory

pytestmark = pytest.mark.django_db

COUNT = re.compile(
    r'<(?:a|button) class="today-count[^"]*"(?: href="(?P<href>[^"]*)")? data-count="(?P<key>\w+)">'
    r'<span class="today-value">(?P<value>[^<]*)</span> <span class="today-label">(?P<label>[^<]*)'
)


def shown(response) -> dict[str, tuple[str, str, str]]:
    """Each count on the page: key → (number, label, link)."""
    html = response.content.decode()
    return {m["key"]: (m["value"], m["label"], m["href"]) for m in COUNT.finditer(html)}


def test_a_partner_worker_sees_what_waits_for_them_with_the_lists(
    login, today_world, welfare_worker
):
    response = login(welfare_worker).get(reverse("start"))
    counts = shown(response)
    expected = today_world.expected["welfare_worker"]
    assert {key: int(value) for key, (value, _, _) in counts.items()} == expected
    assert counts["referrals_new"][1:] == ("Nieuwe verwijzingen", "/verwijzingen/?lijst=nieuw")
    assert counts["referrals_today"][1:] == (
        "Termijn verloopt vandaag",
        "/verwijzingen/?lijst=vandaag",
    )
    assert counts["referrals_overdue"][1:] == (
        "Termijn verstreken",
        "/verwijzingen/?lijst=te-laat",
    )
    # Waiting past a deadline is shown in colour as well as in words.
    html = response.content.decode()
    assert 'today-count today-urgent" href="/verwijzingen/?lijst=te-laat"' in html


def test_a_corporation_worker_sees_their_follow_ups_and_signals(
    login, today_world, corporation_worker
):
    counts = shown(login(corporation_worker).get(reverse("start")))
    assert counts["signals_due"] == (
        "2",
        "Signalen om op te volgen, vandaag of eerder",
        "/signalen/?lijst=opvolgen",
    )
    assert counts["signals_mine"][2] == "/signalen/?lijst=mijn"


@pytest.mark.parametrize(
    "cast",
    [
        "corporation_worker",
        "welfare_worker",
        "manager",
        "welfare_manager",
        "admin",
        "privacy_officer",
    ],
)
def test_every_count_leads_to_a_page_the_person_may_open(login, request, today_world, cast):
    client = login(request.getfixturevalue(cast))
    counts = shown(client.get(reverse("start")))
    assert counts
    for key, (_, _, href) in counts.items():
        assert client.get(href).status_code == 200, (key, href)


def test_the_list_a_count_opens_shows_as_many_rows(login, today_world, welfare_worker):
    client = login(welfare_worker)
    counts = shown(client.get(reverse("start")))
    for key in ("referrals_new", "referrals_today", "referrals_overdue", "referrals_mine"):
        page = client.get(counts[key][2]).context["page"]
        assert len(page.object_list) == int(counts[key][0]), key
    actions = client.get(counts["actions_late"][2]).context["actions"]
    assert [a.pk for a in actions] == [today_world.actions["welfare_late"].pk]


def test_the_start_page_reads_no_household_data(login, today_world, welfare_worker):
    client = login(welfare_worker)
    client.get(reverse("start"))
    before = AccessLog.objects.count()
    client.get(reverse("start"))
    assert AccessLog.objects.count() == before


def _more_work(world, corporation_worker, welfare, lonely, count):
    """More referrals for welfare in every list, and more actions for it, past their date."""
    for n in range(count):
        referral = referral_send(
            actor=corporation_worker,
            household=world.case.household,
            to_organisation=welfare,
            signals=[SignalFactory(household=world.case.household, category=lonely)],
        )
        deadline = world.today - datetime.timedelta(days=n % 3)
        Referral.objects.filter(pk=referral.pk).update(deadline=deadline)
        action = joint_cases.action_add(
            actor=corporation_worker,
            case=world.case,
            description=f"Actie {n}",
            owner_organisation=welfare,
            due_on=world.today,
        )
        CaseAction.objects.filter(pk=action.pk).update(due_on=world.today - datetime.timedelta(1))
        SignalFactory(household=world.case.household, category=lonely, follow_up_on=world.today)


# A worker's page: the session, the user and the memberships, the request's savepoint pair, and
# one COUNT per count (a corporation worker's signals and every worker's actions read the
# households shared with them first, and the signals the worker's neighbourhoods): 14 for a
# partner's worker, 16 for a corporation's. None grows with the rows.
MOST_QUERIES = 16


@pytest.mark.parametrize("cast", ["welfare_worker", "corporation_worker"])
def test_the_counts_cost_the_same_queries_with_few_and_many_rows(
    login, request, today_world, corporation_worker, welfare, lonely, cast,
    django_assert_max_num_queries,
):  # fmt: skip
    client = login(request.getfixturevalue(cast))
    client.get(reverse("start"))  # the first request stamps the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("start"))
    _more_work(today_world, corporation_worker, welfare, lonely, 12)
    with django_assert_max_num_queries(MOST_QUERIES):
        response = client.get(reverse("start"))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("start"))
    assert len(many) == len(few)
    if cast == "welfare_worker":
        assert shown(response)["referrals_new"][0] == "15"
        assert shown(response)["actions_late"][0] == "13"


def test_a_shared_worker_sees_each_organisation_and_a_count_switches_to_it(
    client, today_world, shared_worker, welfare
):
    client.force_login(shared_worker.user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_KEY] = shared_worker.pk  # acting for the corporation
    session.save()
    response = client.get(reverse("start"))
    html = response.content.decode()
    sections = response.context["sections"]
    assert sections[0].membership == shared_worker and sections[0].current
    welfare_section = next(s for s in sections if s.membership.organisation == welfare)
    # Of another organisation only what waits: welfare's referrals and its nameless action.
    assert [c.key for c in welfare_section.shown] == [
        "referrals_new",
        "referrals_today",
        "referrals_overdue",
        "actions_open",
        "actions_late",
    ]
    assert welfare.name in html and "Open je een aantal" in html
    # The welfare count is a button that switches to welfare and opens its list.
    assert f'name="membership" value="{welfare_section.membership.pk}"' in html
    switched = client.post(
        reverse("partners:actor_choose"),
        {"membership": welfare_section.membership.pk, "next": "/verwijzingen/?lijst=te-laat"},
    )
    assert switched["Location"] == "/verwijzingen/?lijst=te-laat"
    page = client.get(switched["Location"]).context["page"]
    assert [r.pk for r in page.object_list] == [today_world.referrals["overdue"].pk]
