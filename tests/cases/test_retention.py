"""Retention (issue 7, ADR 0010): the access log's trigger refuses every UPDATE and every DELETE
of a row younger than its term, on PostgreSQL and SQLite; the nightly job anonymises what is
past its term, keeps the counts, and changes nothing when it runs a second time; the preview
shows what the next month takes; administrators set the terms."""

import datetime
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone, translation

from cases.access.log import log_access
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
from cases.services.retention import retention_run, retention_terms_ensure, retention_terms_save
from tests.cases import privacy_world as world_
from tests.cases.test_privacy import dashboard_counts
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def terms(db):
    """The default terms (a transactional test elsewhere may have flushed the seeded rows)."""
    return retention_terms_ensure()


def insert_row(*, at, user, organisation) -> int:
    """An access-log row written at `at` (INSERT is what the table allows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_accesslog (at, user_id, role, organisation_id, action, object_type,"
            " object_id, legal_basis, origin, detail) VALUES"
            " (%s, %s, 'medewerker', %s, 'view', '', '', 'geen', '', '{}') RETURNING id",
            [at, user.pk, organisation.pk],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def rows(terms, corporation_worker):
    now = timezone.now()
    user, organisation = corporation_worker.user, corporation_worker.organisation
    return {
        "old": insert_row(
            at=now - datetime.timedelta(days=61 * 31), user=user, organisation=organisation
        ),
        "young": insert_row(
            at=now - datetime.timedelta(days=59 * 30), user=user, organisation=organisation
        ),
        "new": insert_row(at=now, user=user, organisation=organisation),
    }


def refused(statement, params=()):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)


# --- the trigger on PostgreSQL ---------------------------------------------------------------


def test_an_update_is_refused_even_of_an_old_row(rows):
    refused("UPDATE cases_accesslog SET action = 'search' WHERE id = %s", [rows["old"]])
    refused("UPDATE cases_accesslog SET household_corporation_id = NULL")


def test_a_young_row_cannot_be_deleted(rows):
    refused("DELETE FROM cases_accesslog WHERE id = %s", [rows["young"]])
    refused("DELETE FROM cases_accesslog WHERE id = %s", [rows["new"]])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=rows["new"]).delete()


def test_a_bulk_delete_with_young_rows_in_it_removes_nothing(rows):
    refused("DELETE FROM cases_accesslog")
    refused("DELETE FROM cases_accesslog WHERE at < now()")
    assert AccessLog.objects.count() == 3


def test_rows_past_the_term_can_be_removed(rows):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_accesslog WHERE id = %s", [rows["old"]])
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {rows["young"], rows["new"]}


def test_the_trigger_reads_the_term_from_the_table_but_never_goes_below_a_year(rows):
    RetentionTerm.objects.filter(kind="access_log").update(months=48)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_accesslog WHERE id = %s", [rows["young"]])
    # A term under a year is refused by the table, and would be raised to a year by the trigger.
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionTerm.objects.filter(kind="access_log").update(months=0)
    refused("DELETE FROM cases_accesslog WHERE id = %s", [rows["new"]])


def test_without_a_term_nothing_can_be_deleted(rows):
    RetentionTerm.objects.filter(kind="access_log").delete()
    refused("DELETE FROM cases_accesslog WHERE id = %s", [rows["old"]])


# --- the trigger on SQLite -------------------------------------------------------------------


def test_sqlite_refuses_the_same(tmp_path):
    database = tmp_path / "retention.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true"}
    env.pop("REDIS_URL", None)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert migrate.returncode == 0, migrate.stderr
    db = sqlite3.connect(database, isolation_level=None)
    assert db.execute(
        "SELECT months FROM cases_retentionterm WHERE kind='access_log'"
    ).fetchone() == (60,)
    insert = (
        "INSERT INTO cases_accesslog (at, user_id, role, organisation_id, action, object_type,"
        " object_id, legal_basis, origin, detail) VALUES (?, 1, 'medewerker', 1, 'view', '', '',"
        " 'geen', '', '{}')"
    )
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    old = db.execute(insert, [str(now - datetime.timedelta(days=61 * 31))]).lastrowid
    young = db.execute(insert, [str(now - datetime.timedelta(days=59 * 30))]).lastrowid
    for statement, params in (
        ("UPDATE cases_accesslog SET action='x'", []),
        ("UPDATE cases_accesslog SET action='x' WHERE id = ?", [old]),
        ("DELETE FROM cases_accesslog WHERE id = ?", [young]),
        ("DELETE FROM cases_accesslog", []),
    ):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute(statement, params)
    assert db.execute("SELECT count(*) FROM cases_accesslog").fetchone() == (2,)
    db.execute("DELETE FROM cases_accesslog WHERE id = ?", [old])
    assert db.execute("SELECT id FROM cases_accesslog").fetchall() == [(young,)]
    db.execute("DELETE FROM cases_retentionterm WHERE kind='access_log'")
    old = db.execute(insert, [str(now - datetime.timedelta(days=61 * 31))]).lastrowid
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM cases_accesslog WHERE id = ?", [old])


# --- the nightly job ---------------------------------------------------------------------------


@pytest.fixture
def world(
    terms,
    corporation,
    welfare,
    care,
    neighbourhood,
    corporation_worker,
    welfare_worker,
    care_worker,
    privacy_officer,
    categories,
):
    # The job's clock is moved forward below; the access log's trigger goes by the database's
    # own clock, so the log keeps ten years here (its removal is tested with truly old rows).
    RetentionTerm.objects.filter(kind="access_log").update(months=120)
    return world_.build(
        corporation=corporation,
        welfare=welfare,
        care=care,
        neighbourhood=neighbourhood,
        corporation_worker=corporation_worker,
        welfare_worker=welfare_worker,
        care_worker=care_worker,
        privacy_officer=privacy_officer,
        categories=categories,
    )


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
    world, terms, corporation_worker
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
    assert done["access_log"] == 0 and sum(done.values()) > 0
    # The signal still open and the consent still in force keep their text: only what is
    # closed or ended has a term.
    still_open = Signal.objects.get(description=world_.TEXTS["signal_description"])
    assert still_open.is_open
    in_force = Consent.objects.in_force().get(household=world.household)
    remaining = world_.found_anywhere(world_.TEXTS.values())
    undecided = SupportPackage.objects.get(status="aangevraagd")
    assert remaining == [
        ("cases_consent", "purpose", in_force.purpose),
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


def test_the_job_removes_access_log_rows_past_their_term_and_no_others(rows):
    assert retention_run()["access_log"] == 1
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {rows["young"], rows["new"]}
    assert retention_run()["access_log"] == 0


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
    assert rectified.data["reason"] == world_.TEXTS["rectify_reason"], "history: sixty months"
    assert EmergencyAccess.objects.get().reason == world_.TEXTS["emergency_reason"]
    assert AccessLog.objects.exists(), "the log keeps sixty months"


def test_packages_lose_their_text_two_years_after_their_delivery_or_decision(
    world, terms, privacy_officer, welfare, care
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
            for line in retention_preview(actor=officer)
            if line.kind == "packages"
        )
        for officer in (privacy_officer, welfare_officer, care_officer)
    }
    assert due == {
        "Woonstichting Testdorp": (2, 24),
        "Welzijn Testdorp": (2, 24),  # it pays them
        "Zorg Testdorp": (0, 24),
    }
    before = dashboard_counts()
    assert retention_run()["packages"] == 2
    assert dashboard_counts() == before
    delivered, declined, undecided = (SupportPackage.objects.get(pk=p.pk) for p in world.packages)
    assert (delivered.description, delivered.decline_reason) == ("-", "")
    assert (declined.description, declined.decline_reason) == ("", "-")
    assert undecided.description == world_.TEXTS["package_open"], "still to be decided"
    event = HouseholdEvent.objects.get(household=world.household, kind="package_declined")
    assert "reason" not in event.data
    assert HouseholdEvent.objects.filter(
        household=world.household, kind="data_anonymised", data__retention="packages"
    ).exists()
    assert retention_run()["packages"] == 0


def test_months_before_counts_calendar_months():
    moment = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=datetime.UTC)
    assert months_before(moment, 1) == datetime.datetime(2026, 2, 28, 12, 0, tzinfo=datetime.UTC)
    assert months_before(moment, 24) == datetime.datetime(2024, 3, 31, 12, 0, tzinfo=datetime.UTC)
    assert months_before(moment, -11) == datetime.datetime(2027, 2, 28, 12, 0, tzinfo=datetime.UTC)


# --- the preview and the terms ---------------------------------------------------------------


def test_the_preview_shows_what_the_next_month_will_anonymise(
    terms, privacy_officer, household, corporation_worker, categories, outsider
):
    from tests.factories import SignalFactory

    now = timezone.now()
    due_soon = now - datetime.timedelta(days=24 * 31 - 40)  # past two years within 30 days

    def closed_signal(when, **kwargs):
        signal = SignalFactory(household=household, category=categories[0], **kwargs)
        Signal.objects.filter(pk=signal.pk).update(status="opgelost", status_changed_at=when)

    closed_signal(months_before(now, 25))  # past its term: the next night takes it
    closed_signal(months_before(now, 24) + datetime.timedelta(days=10))  # within 30 days
    closed_signal(now - datetime.timedelta(days=30))  # not yet
    from tests.factories import HouseholdFactory

    theirs = HouseholdFactory(corporation=outsider.organisation)
    signal = SignalFactory(household=theirs, category=categories[0])
    Signal.objects.filter(pk=signal.pk).update(status="opgelost", status_changed_at=due_soon)
    log_access(actor=corporation_worker, action="view", household=household, obj=household)
    preview = {line.kind: line for line in retention_preview(actor=privacy_officer)}
    assert (preview["signals"].due_now, preview["signals"].due_soon) == (1, 1)
    assert (preview["access_log"].due_now, preview["access_log"].due_soon) == (0, 0)
    assert preview["signals"].months == 24
    assert not AccessLog.objects.filter(action="audit").exists(), "counts only: nothing to log"


def test_administrators_set_the_terms_within_their_bounds(terms, admin, privacy_officer):
    changed = retention_terms_save(actor=admin, months={"signals": 36, "visits": 24})
    assert changed == ["signals"]
    term = RetentionTerm.objects.get(kind="signals")
    assert (term.months, term.updated_by) == (36, admin.user)
    with pytest.raises(ValidationError) as refused_:
        retention_terms_save(actor=admin, months={"access_log": 6})
    assert refused_.value.message_dict == {"access_log": ["Choose between 12 and 120 months."]}
    with pytest.raises(ValidationError, match="Only an administrator"):
        retention_terms_save(actor=privacy_officer, months={"signals": 12})
    assert RetentionTerm.objects.get(kind="signals").months == 36
