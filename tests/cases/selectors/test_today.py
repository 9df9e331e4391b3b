"""What needs a person today (cases.selectors.today, ADR 0022): each count by role, through the
access rules, equal to the list it links to, capped, and never a read of household data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import AccessLog, EmergencyAccessRequest, Household, RetentionTerm
from cases.selectors.emergency import emergency_accesses
from cases.selectors.joint_cases import action_list
from cases.selectors.referrals import referral_inbox
from cases.selectors.signals import SignalFilters, signal_search_page
from cases.selectors.support import package_inbox
from cases.selectors.today import today_counts, today_sections
from cases.services import joint_cases
from inclusie.pagination import COUNT_CAP, capped_count
from partners.models import Invitation, Membership
from tests.factories import HouseholdFactory, MembershipFactory, request_package

pytestmark = pytest.mark.django_db


def counts(actor) -> dict[str, int]:
    return {count.key: count.value for count in today_counts(actor=actor)}


@pytest.mark.parametrize("cast", ["welfare_worker", "corporation_worker"])
def test_a_worker_counts_what_waits_for_them(request, today_world, cast):
    assert counts(request.getfixturevalue(cast)) == today_world.expected[cast]


def test_each_count_of_a_partner_worker_is_the_list_it_links_to(today_world, welfare_worker):
    by_key = {count.key: count for count in today_counts(actor=welfare_worker)}
    for key, box in (
        ("referrals_new", "nieuw"),
        ("referrals_today", "vandaag"),
        ("referrals_overdue", "te-laat"),
        ("referrals_mine", "mijn"),
    ):
        listed = referral_inbox(actor=welfare_worker, box=box)
        assert by_key[key].value == listed.paginator.count, key
        assert by_key[key].url == f"/verwijzingen/?lijst={box}"
    assert by_key["actions_open"].value == len(action_list(actor=welfare_worker))
    late = action_list(actor=welfare_worker, scope="te-laat")
    assert [a.pk for a in late] == [today_world.actions["welfare_late"].pk]
    assert by_key["actions_late"].url == "/casussen/acties/?lijst=te-laat"


def test_each_count_of_a_corporation_worker_is_the_list_it_links_to(
    today_world, corporation_worker
):
    by_key = {count.key: count for count in today_counts(actor=corporation_worker)}
    due = signal_search_page(
        actor=corporation_worker, filters=SignalFilters(scope="due"), page=None
    )
    assert {s.pk for s in due} == {
        today_world.signals["due_today"].pk,
        today_world.signals["due_yesterday"].pk,
    }
    assert by_key["signals_due"].url == "/signalen/?lijst=opvolgen"
    mine = signal_search_page(
        actor=corporation_worker, filters=SignalFilters(scope="mine"), page=None
    )
    assert by_key["signals_mine"].value == mine.paginator.count
    assert [a.pk for a in action_list(actor=corporation_worker)] == [
        today_world.actions["corporation_next_week"].pk
    ]


def test_counts_follow_the_access_rules(today_world, care_worker, outsider):
    """Care counts its own referral (accepted, so its worker's), none of welfare's; another
    corporation nothing of this one's."""
    assert counts(care_worker) == {
        "referrals_new": 0,
        "referrals_today": 0,
        "referrals_overdue": 0,
        "referrals_mine": 1,
        "actions_open": 0,
        "actions_late": 0,
        "packages_to_decide": 0,
    }
    assert set(counts(outsider).values()) == {0}


def test_an_action_of_a_colleague_or_done_or_in_a_closed_case_is_not_counted(
    today_world, welfare_worker, welfare, corporation_worker
):
    colleague = MembershipFactory(organisation=welfare)
    joint_cases.action_add(
        actor=corporation_worker,
        case=today_world.case,
        description="Voor een collega",
        owner_organisation=welfare,
        owner_person=colleague.user,
        due_on=today_world.today,
    )
    assert counts(welfare_worker)["actions_open"] == 1
    joint_cases.action_done(actor=welfare_worker, action=today_world.actions["welfare_late"])
    assert counts(welfare_worker)["actions_open"] == 0
    assert counts(corporation_worker)["actions_open"] == 1
    joint_cases.case_close(actor=corporation_worker, case=today_world.case, summary="Klaar.")
    assert counts(corporation_worker)["actions_open"] == 0


@pytest.mark.parametrize("cast", ["welfare_worker", "corporation_worker"])
def test_a_count_reads_keys_up_to_the_cap_never_rows(request, today_world, cast):
    """ADR 0012/0022: each count is one COUNT over at most cap + 1 keys."""
    actor = request.getfixturevalue(cast)
    with CaptureQueriesContext(connection) as queries:
        shown = today_counts(actor=actor)
    counted = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert len(counted) == len(shown)
    assert all(f"LIMIT {COUNT_CAP + 1}" in sql for sql in counted)


def test_a_count_writes_nothing_to_the_access_log(today_world, welfare_worker, corporation_worker):
    """A number is no read of a household's data (ADR 0022); opening the list is."""
    before = AccessLog.objects.count()
    today_counts(actor=welfare_worker)
    today_counts(actor=corporation_worker)
    assert AccessLog.objects.count() == before


def test_the_paying_organisation_counts_packages_to_decide(
    corporation_worker, household, welfare, welfare_worker, welfare_manager, referred
):
    request_package(corporation_worker, household, welfare)
    assert counts(welfare_worker)["packages_to_decide"] == 1
    assert counts(welfare_manager) == {"packages_to_decide": 1}
    assert len(package_inbox(actor=welfare_manager, box="te-beslissen")) == 1
    assert counts(corporation_worker)["packages_to_decide"] == 0


def test_an_administrator_counts_open_invitations_and_announced_terms(admin, outsider_admin):
    now = timezone.now()
    for email, extra in (
        ("open@test.example", {}),
        ("used@test.example", {"accepted_at": now}),
        ("revoked@test.example", {"revoked_at": now}),
        ("expired@test.example", {"expires_at": now - datetime.timedelta(days=1)}),
    ):
        Invitation.objects.create(
            organisation=admin.organisation,
            email=email,
            name="Iemand",
            role=Membership.Role.MEDEWERKER,
            token_hash=email,
            invited_by=admin.user,
            expires_at=extra.pop("expires_at", now + datetime.timedelta(days=7)),
            **extra,
        )
    RetentionTerm.objects.create(
        organisation=admin.organisation,
        kind=RetentionTerm.Kind.SIGNALS,
        months=24,
        pending_months=6,
        pending_from=now + datetime.timedelta(days=30),
    )
    shown = {c.key: c for c in today_counts(actor=admin)}
    assert {k: c.value for k, c in shown.items()} == {
        "invitations_open": 1,
        "retention_announced": 1,
    }
    assert shown["invitations_open"].url == "/organisatie/leden/#uitnodigingen"
    assert shown["retention_announced"].url == "/beheer/bewaartermijnen/"
    assert counts(outsider_admin) == {"invitations_open": 0, "retention_announced": 0}


def test_a_privacy_officer_counts_the_requests_waiting_for_a_decision(
    privacy_officer, corporation_worker, other_household
):
    now = timezone.now()

    def ask(**extra):
        return EmergencyAccessRequest.objects.create(
            household=other_household,
            user=corporation_worker.user,
            organisation=corporation_worker.organisation,
            role=corporation_worker.role,
            reason="Buren horen al twee dagen niets.",
            expires_at=extra.pop("expires_at", now + datetime.timedelta(hours=4)),
            **extra,
        )

    ask()
    ask(  # expired: no longer waiting
        requested_at=now - datetime.timedelta(hours=5),
        expires_at=now - datetime.timedelta(hours=1),
    )
    shown = {c.key: c for c in today_counts(actor=privacy_officer)}
    assert shown["emergency_waiting"].value == 1
    assert shown["emergency_waiting"].urgent
    assert shown["emergency_waiting"].url == "/privacy/noodtoegang/#wachtend"
    assert len(emergency_accesses(actor=privacy_officer).waiting) == 1


def test_a_shared_worker_sees_each_organisation_by_its_own_rules(
    today_world, shared_worker, corporation, welfare, municipality
):
    memberships = list(shared_worker.user.memberships.select_related("organisation"))
    welfare_membership = next(m for m in memberships if m.organisation == welfare)
    sections = today_sections(actor=welfare_membership, memberships=memberships)
    assert sections[0].membership.organisation == welfare
    assert {s.membership.organisation for s in sections[1:]} == {corporation, municipality}
    assert [s.current for s in sections] == [True, False, False]
    by_org = {s.membership.organisation: {c.key: c.value for c in s.counts} for s in sections}
    assert by_org[welfare]["referrals_new"] == 3
    assert by_org[municipality]["referrals_new"] == 0
    # Each membership by its own rules: the corporation's signals, the partners' inboxes.
    assert "signals_due" in by_org[corporation] and "referrals_new" not in by_org[corporation]
    assert by_org[corporation]["actions_open"] == 0  # the corporation's action is a colleague's
    # The current organisation shows every count; the others only what is waiting.
    assert len(sections[0].shown) == len(sections[0].counts)
    assert all(c.value for s in sections[1:] for c in s.shown)


def test_a_count_stops_at_the_cap(corporation, neighbourhood):
    for _ in range(5):
        HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood)
    households = Household.objects.filter(corporation=corporation)
    assert capped_count(households, cap=3) == 4
    assert capped_count(households, cap=10) == 5
