"""Joint cases are reached by clicking: from the household page, the referral and the menu, and
the open actions of a person have their own list. Only what the person may open is linked: each
link followed gives the page, never a 403."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import AccessLog
from cases.services import joint_cases
from cases.services.consents import consent_withdraw

pytestmark = pytest.mark.django_db


def case_links(html: str) -> list[tuple[str, str]]:
    """(href, text) of the links to a joint case or to opening one."""
    return re.findall(r'href="([^"]+)" data-testid="joint-case-link">([^<]+)<', html)


def test_the_household_page_links_to_its_case(login, today_world, corporation_worker, household):
    client = login(corporation_worker)
    html = client.get(reverse("cases:household_detail", args=[household.pk])).content.decode()
    href = reverse("joint_cases:detail", args=[today_world.case.pk])
    assert case_links(html) == [(href, "Naar de casus")]
    assert client.get(href).status_code == 200


def test_a_household_without_a_case_offers_to_open_one(login, corporation_worker, household):
    client = login(corporation_worker)
    html = client.get(reverse("cases:household_detail", args=[household.pk])).content.decode()
    href = reverse("joint_cases:open", args=[household.pk])
    assert case_links(html) == [(href, "Casus openen")]
    assert client.get(href).status_code == 200


def test_the_referral_links_a_participant_to_the_case(login, today_world, welfare_worker):
    client = login(welfare_worker)
    for referral in ("new", "accepted"):
        url = reverse("referrals:detail", args=[today_world.referrals[referral].pk])
        href = reverse("joint_cases:detail", args=[today_world.case.pk])
        assert case_links(client.get(url).content.decode()) == [(href, "Naar de casus")]
    assert client.get(href).status_code == 200


def test_a_partner_outside_the_open_case_gets_no_link(login, today_world, care_worker):
    """Care works on its own referral but does not take part in the case: no link to it (it
    would be a 404) and no opening of a second case (the service refuses it)."""
    url = reverse("referrals:detail", args=[today_world.referrals["care"].pk])
    html = login(care_worker).get(url).content.decode()
    assert case_links(html) == []
    assert reverse("joint_cases:detail", args=[today_world.case.pk]) not in html


def test_a_partner_with_a_basis_may_open_the_case_from_the_referral(
    login, referral, welfare_worker, household
):
    client = login(welfare_worker)
    html = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    href = reverse("joint_cases:open", args=[household.pk])
    assert case_links(html) == [(href, "Casus openen")]
    assert client.get(href).status_code == 200


def test_no_link_once_the_household_is_no_longer_shared(
    login, referral, consent, corporation_worker, welfare_worker
):
    consent_withdraw(actor=corporation_worker, consent=consent, withdrawn_on=consent.given_on)
    html = login(welfare_worker).get(reverse("referrals:detail", args=[referral.pk]))
    assert case_links(html.content.decode()) == []


@pytest.mark.parametrize(
    ("cast", "menu"),
    [
        ("corporation_worker", True),
        ("welfare_worker", True),
        ("care_worker", True),
        ("manager", False),
        ("admin", False),
        ("privacy_officer", False),
    ],
)
def test_the_menu_has_the_cases_for_every_role_that_takes_part(login, request, cast, menu):
    client = login(request.getfixturevalue(cast))
    html = client.get(reverse("start")).content.decode()
    link = '<a class="nav-link" href="/casussen/">Casussen</a>'
    assert (link in html) is menu
    assert client.get("/casussen/").status_code == (200 if menu else 403)


def test_the_list_of_actions_shows_the_persons_own(login, today_world, welfare_worker):
    client = login(welfare_worker)
    response = client.get(reverse("joint_cases:actions"))
    assert [a.pk for a in response.context["actions"]] == [today_world.actions["welfare_late"].pk]
    html = response.content.decode()
    assert "Kennismaken met mevrouw" in html and "Over de streefdatum" in html
    assert "Keukenkraan" not in html  # the corporation worker's
    assert reverse("joint_cases:detail", args=[today_world.case.pk]) in html
    # One row per household shown in the access log, as every list writes (ADR 0006).
    row = AccessLog.objects.filter(user=welfare_worker.user, action="search").latest("pk")
    assert row.household_id == today_world.case.household_id
    assert row.detail["case_actions"] == "open"


def test_the_list_of_actions_is_a_workers_page(login, today_world, welfare_worker, manager):
    assert login(manager).get(reverse("joint_cases:actions")).status_code == 403
    assert login(welfare_worker).post(reverse("joint_cases:actions")).status_code == 405


def test_the_list_of_actions_asks_the_same_queries_for_1_and_for_10_actions(
    login, today_world, welfare_worker, corporation_worker, welfare
):
    client = login(welfare_worker)
    client.get(reverse("joint_cases:actions"))  # the first request stamps the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("joint_cases:actions"))
    for n in range(9):
        joint_cases.action_add(
            actor=corporation_worker,
            case=today_world.case,
            description=f"Actie {n}",
            owner_organisation=welfare,
            due_on=today_world.today,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("joint_cases:actions"))
    assert len(response.context["actions"]) == 10
    assert len(many) == len(few)
