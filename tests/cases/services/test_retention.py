"""Retention (issue 7, ADR 0010): the nightly job anonymises what is past its term, keeps the
counts, and changes nothing when it runs a second time. The terms per data controller are in
test_retention_terms.py."""

import datetime

import pytest
from django.utils import timezone, translation

from cases.models import (
    AccessLog,
    CaseAction,
    CaseNote,
    Consent,
    EmergencyAccess,
    HomeVisit,
    HouseholdEvent,
    JointCase,
    Referral,
    RetentionTerm,
    Signal,
    SupportPackage,
)
from cases.selectors.retention import months_before, retention_preview
from cases.services.consents import consent_withdraw
from cases.services.retention import retention_run
from cases.services.signals import signal_change_status
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def _log_kept_ten_years(terms):
    # The job's clock is moved forward below; the access log's trigger goes by the database's
    # own clock, so the log keeps ten years here (its removal is tested with truly old rows).
    RetentionTerm.objects.filter(kind="access_log").update(months=120)


@pytest.fixture
def world(_log_kept_ten_years, privacy_world):
    """A household with every kind of data Inclusie holds (tests/worlds/privacy.py)."""
    return privacy_world


def snapshot():
    """Every row of every table the job may touch, as it is."""
    return {
        model.__name__: sorted(model.objects.values_list(), key=lambda row: row[0])
        for model in (
            Signal,
            HomeVisit,
            Referral,
            Consent,
            JointCase,
            CaseNote,
            CaseAction,
            HouseholdEvent,
            EmergencyAccess,
            SupportPackage,
            AccessLog,
        )
    }


def test_the_job_anonymises_what_is_past_its_term_and_nothing_else(
    world, terms, corporation_worker, found_anywhere, dashboard_counts
):
    withdrawn = Consent.objects.create(
        household=world.household,
        receiving_organisation=world.referrals[0].to_organisation,
        purpose="Fragment-ingetrokken-doel",
        given_how="mondeling",
        given_on=timezone.localdate(),
        recorded_by=corporation_worker.user,
        recorded_for=corporation_worker.organisation,
    )
    consent_withdraw(actor=corporation_worker, consent=withdrawn, withdrawn_on=timezone.localdate())
    before = dashboard_counts()
    now = timezone.now()
    done = retention_run(now=now)
    assert set(done.values()) == {0}, "everything is younger than its term"
    later = now + datetime.timedelta(days=31 * 61)
    done = retention_run(now=later)
    assert "access_log" not in done and sum(done.values()) > 0
    # The signal still open and the consent still in force keep their text: only what is
    # closed or ended has a term.
    still_open = Signal.objects.get(description=world.TEXTS["signal_description"])
    assert still_open.is_open
    in_force = Consent.objects.in_force().get(household=world.household)
    remaining = found_anywhere(world.TEXTS.values())
    undecided = SupportPackage.objects.get(status="aangevraagd")
    assert remaining == [
        ("cases_consent", "purpose", in_force.purpose),
        # The request for informal help goes with the signal it came from (ADR 0033).
        ("cases_helpmatch", "end_reason", world.TEXTS["help_end_reason"]),
        ("cases_helprequest", "description", world.TEXTS["help_description"]),
        ("cases_helprequest", "place", world.TEXTS["help_place"]),
        ("cases_signal", "description", still_open.description),
        ("cases_supportpackage", "description", undecided.description),
    ]
    assert dashboard_counts() == before
    events = HouseholdEvent.objects.filter(kind="data_anonymised", household=world.household)
    assert {e.data["retention"] for e in events} >= {
        "signals",
        "visits",
        "referrals",
        "consents",
        "joint_cases",
        "packages",
        "history",
        "emergency",
    }
    signal_change_status(
        actor=corporation_worker, signal=still_open, status="gesloten", reason="Opgelost"
    )
    retention_run(now=later)
    assert [table for table, _c, _t in found_anywhere(world.TEXTS.values())] == [
        "cases_consent",
        "cases_supportpackage",
    ], "closed, the signal's term takes its request for informal help along"


def test_the_job_leaves_the_access_log_to_the_owner_role(rows):
    """The job runs as the application's role, which may not delete from the log; the owner
    removes what is past its term (tests/cases/services/test_access_log_prune.py)."""
    assert "access_log" not in retention_run()
    assert set(AccessLog.objects.values_list("pk", flat=True)) == set(rows.values())


def test_the_job_run_twice_changes_nothing_the_second_time(world, terms):
    later = timezone.now() + datetime.timedelta(days=31 * 61)
    first = retention_run(now=later)
    assert sum(first.values()) > 0
    after_first = snapshot()
    second = retention_run(now=later)
    assert set(second.values()) == {0}
    assert snapshot() == after_first


def test_each_term_counts_from_its_own_moment(world, terms):
    """Two years after closing, the closed signals go; the visit notes, two years after the
    visit; the history's free text stays until its five years."""
    later = timezone.now() + datetime.timedelta(days=31 * 25)
    retention_run(now=later)
    closed = Signal.objects.get(household=world.household, status="gesloten")
    assert (closed.description, closed.closed_reason) == ("", "")
    assert HomeVisit.objects.get(household=world.household).notes == ""
    rectified = HouseholdEvent.objects.get(household=world.household, kind="data_corrected")
    assert rectified.data["reason"] == world.TEXTS["rectify_reason"], "history: sixty months"
    assert EmergencyAccess.objects.get().reason == world.TEXTS["emergency_reason"]
    assert AccessLog.objects.exists(), "the log keeps sixty months"


def test_packages_lose_their_text_two_years_after_their_delivery_or_decision(
    world, terms, privacy_officer, welfare, care, dashboard_counts
):
    """Only delivered and declined packages have a term; item, amount, payer, status and dates
    stay for the ledger; "-" remains where a constraint wants text."""
    delivered, declined, undecided = world.packages
    later = timezone.now() + datetime.timedelta(days=30 * 23)
    assert retention_run(now=later)["packages"] == 0, "not yet two years"
    # Delivered 25 months ago (the delivery counts, not the approval), declined 25 months ago.
    past = months_before(timezone.now(), 25)
    SupportPackage.objects.filter(pk=delivered.pk).update(delivered_on=past.date())
    SupportPackage.objects.filter(pk=declined.pk).update(decided_at=past)
    welfare_officer = MembershipFactory(organisation=welfare, role="privacyfunctionaris")
    care_officer = MembershipFactory(organisation=care, role="privacyfunctionaris")
    due = {
        officer.organisation.name: next(
            (line.due_now, line.months)
            for line in retention_preview(organisation_id=officer.organisation_id)
            if line.kind == "packages"
        )
        for officer in (privacy_officer, welfare_officer, care_officer)
    }
    assert due == {
        "Woonstichting Testdorp": (2, 24),
        # Welfare pays them, but the corporation asked: the request is the corporation's.
        "Welzijn Testdorp": (0, 24),
        "Zorg Testdorp": (0, 24),
    }
    before = dashboard_counts()
    assert retention_run()["packages"] == 2
    assert dashboard_counts() == before
    delivered, declined, undecided = (SupportPackage.objects.get(pk=p.pk) for p in world.packages)
    assert (delivered.description, delivered.decline_reason) == ("-", "")
    assert (declined.description, declined.decline_reason) == ("", "-")
    assert undecided.description == world.TEXTS["package_open"], "still to be decided"
    event = HouseholdEvent.objects.get(household=world.household, kind="package_declined")
    assert "reason" not in event.data
    assert HouseholdEvent.objects.filter(
        household=world.household, kind="data_anonymised", data__retention="packages"
    ).exists()
    assert retention_run()["packages"] == 0
