"""Emergency access is a narrow read, not a key to the household (issue 7, ADR 0010): the worker
sees the emergency page for the window and nothing else of the household; every write service
and the normal household page, list and search refuse them as they refuse any outsider."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import AccessLog, EmergencyAccess, Household, HouseholdEvent, SupportPackage
from cases.selectors.households import HouseholdFilters, household_search
from cases.services import joint_cases
from cases.services.emergency import emergency_access_open
from cases.services.referrals import referral_send
from cases.services.support import support_package_request
from cases.services.visits import home_visit_log
from tests.factories import HouseholdFactory, MembershipFactory, SignalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def opened(corporation_worker, other_household):
    """The corporation's worker opened another corporation's household in an emergency."""
    return emergency_access_open(
        actor=corporation_worker,
        household=other_household,
        reason="Buren horen al twee dagen niets; de deur is dicht.",
    )


def test_emergency_access_does_not_open_visible_to_but_its_own_door_for_the_window(
    opened, corporation_worker, other_household, corporation
):
    colleague = MembershipFactory(organisation=corporation, role="medewerker")
    assert not Household.objects.visible_to(corporation_worker).filter(pk=other_household.pk)
    emergency = Household.objects.in_emergency_for
    assert list(emergency(corporation_worker)) == [other_household]
    assert not emergency(colleague).exists(), "not the colleagues"
    EmergencyAccess.objects.filter(pk=opened.pk).update(ends_at=timezone.now())
    assert not emergency(corporation_worker).exists(), "the window ended"


def test_the_same_person_acting_for_another_organisation_has_no_emergency_door(
    shared_worker, other_household, welfare
):
    emergency_access_open(
        actor=shared_worker, household=other_household, reason="Acute zorgen om de bewoner."
    )
    for_welfare = shared_worker.user.memberships.get(organisation=welfare)
    assert Household.objects.in_emergency_for(shared_worker).filter(pk=other_household.pk)
    assert not Household.objects.in_emergency_for(for_welfare).exists()


def _writes(actor, household, welfare, third_corporation):
    signal = SignalFactory(household=household)
    today = timezone.localdate()
    return {
        "home_visit_log": lambda: home_visit_log(
            actor=actor,
            household=household,
            visited_on=today,
            kind="regulier",
            outcome="geen_zorgen",
        ),
        "support_package_request": lambda: support_package_request(
            actor=actor,
            household=household,
            item="witgoed",
            amount=Decimal("250.00"),
            paying_organisation=third_corporation,
            description="Koelkast kapot",
        ),
        "case_open": lambda: joint_cases.case_open(actor=actor, household=household),
        "referral_send": lambda: referral_send(
            actor=actor, household=household, to_organisation=welfare, signals=[signal]
        ),
    }


@pytest.mark.parametrize(
    "write", ["home_visit_log", "support_package_request", "case_open", "referral_send"]
)
def test_every_write_service_refuses_a_worker_with_emergency_access_only(
    opened, corporation_worker, other_household, welfare, third_corporation, write
):
    call = _writes(corporation_worker, other_household, welfare, third_corporation)[write]
    events = HouseholdEvent.objects.filter(household=other_household).count()
    with pytest.raises(ValidationError) as refused:
        call()
    assert "You may not work with this household." in refused.value.messages
    assert HouseholdEvent.objects.filter(household=other_household).count() == events
    assert not SupportPackage.objects.filter(household=other_household).exists()


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
