"""Deciding about possible duplicates (ADR 0026): marking two households as distinct, and a
merge that loses nothing: every row that pointed to either household is still there, the work
with the survivor, the records of what happened where they happened; the access log is the
same row by row plus the merge's own rows; refused across corporations, for someone who is not
the corporation's administrator, for a household merged already, for one household twice and
while both have an open joint case; race-safe against work on the absorbed household."""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from cases.models import (
    AccessLog,
    DistinctHouseholds,
    HomeVisit,
    Household,
    HouseholdEvent,
    JointCase,
    Resident,
)
from cases.models.duplicates import FOLLOW_SURVIVOR, PER_PERSON, REPOINTED, STAY
from cases.selectors.duplicates import household_duplicates
from cases.services import joint_cases
from cases.services.avg import erasure_refusals, household_erase
from cases.services.consents import consent_record
from cases.services.duplicates import household_merge, households_mark_distinct
from cases.services.referrals import referral_send
from cases.services.visits import home_visit_log
from tests.factories import HouseholdFactory, MembershipFactory, SignalFactory, request_package

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def access_log():
    return list(AccessLog.objects.order_by("pk").values())


# --- what a merge does with each foreign key ------------------------------------------------


def test_every_foreign_key_to_a_household_has_its_place_in_a_merge(foreign_keys_to_household):
    """A new table that points to households must say whether it follows the survivor or
    stays where it happened (cases.models.duplicates)."""
    decided = {*FOLLOW_SURVIVOR, *PER_PERSON, *STAY, *REPOINTED}
    assert set(foreign_keys_to_household) == decided


# --- a merge that loses nothing ------------------------------------------------------------


def test_a_merge_loses_nothing(pair, admin, census, foreign_keys_to_household):
    survivor, absorbed = pair.survivor, pair.absorbed
    before = census(survivor, absorbed)
    log_before = access_log()
    absorbed_fields = Household.objects.filter(pk=absorbed.pk).values().get()

    result = household_merge(actor=admin, survivor=survivor, absorbed=absorbed)

    after = census(survivor, absorbed)
    # Every table that points to a household, except the residents, the records of what
    # happened (STAY) and earlier merges (REPOINTED): all of it now at the survivor.
    work = set(foreign_keys_to_household) - {*PER_PERSON, *STAY, *REPOINTED}
    assert work == {
        (label, "household")
        for label in (
            "cases.homevisit",
            "cases.signal",
            "cases.consent",
            "cases.referral",
            "cases.jointcase",
            "cases.supportpackage",
            "cases.helprequest",
        )
    }
    for label, name in sorted(work):
        moved = before[(label, name, absorbed.pk)]
        assert moved > 0, f"the world has {label}"
        assert after[(label, name, survivor.pk)] == before[(label, name, survivor.pk)] + moved
        assert after[(label, name, absorbed.pk)] == 0
    # Residents: Anna is one person (the same name, one year unknown), Bram joins.
    assert after[("cases.resident", "household", absorbed.pk)] == 0
    assert sorted(survivor.residents.values_list("name", "birth_year")) == [
        ("Anna de Test", 1948),
        ("Bram de Test", 1950),
    ]
    assert result.same_people == 1
    # What happened stays where it happened, with one new event on each.
    for label, name in STAY:
        for household in (survivor, absorbed):
            new = {"cases.householdevent": 1, "cases.accesslog": 1}.get(label, 0)
            key = (label, name, household.pk)
            assert after[key] == before[key] + new, key
    # The absorbed household stays, closed, pointing to the survivor.
    absorbed.refresh_from_db()
    assert absorbed.merged_into == survivor and absorbed.merged_at is not None
    kept = Household.objects.filter(pk=absorbed.pk).values().get()
    changed = {k for k in kept if kept[k] != absorbed_fields[k]}
    assert changed == {"merged_into_id", "merged_at", "updated_at"}
    # The survivor had no phone: it takes the absorbed one's.
    survivor.refresh_from_db()
    assert survivor.phone == "06 12345678"
    # The access log: every row as it was, then the merge's two rows.
    log_after = access_log()
    assert log_after[: len(log_before)] == log_before
    new_rows = [
        (row["action"], row["household_id"], row["detail"]) for row in log_after[len(log_before) :]
    ]
    merge = {"merged": {"survivor": survivor.pk, "absorbed": absorbed.pk}}
    assert new_rows == [("update", survivor.pk, merge), ("update", absorbed.pk, merge)]
    # The history of both.
    merged = HouseholdEvent.objects.get(household=survivor, kind="household_merged")
    assert merged.data["absorbed"] == absorbed.pk
    assert merged.data["tenancy_reference"] == "HC-000099"
    assert merged.data["moved"]["homevisit"] == 1 and merged.data["moved"]["same_people"] == 1
    assert merged.user == admin.user and merged.organisation == admin.organisation
    gone = HouseholdEvent.objects.get(household=absorbed, kind="household_absorbed")
    assert gone.data == {"survivor": survivor.pk, "tenancy_reference": "HC-000012"}


def test_the_joint_case_and_its_plan_follow_the_survivor(pair, admin, corporation_worker):
    case = JointCase.objects.get(household=pair.absorbed)
    household_merge(actor=admin, survivor=pair.survivor, absorbed=pair.absorbed)
    case.refresh_from_db()
    assert case.household == pair.survivor and case.is_open
    assert case.actions.count() == 1 and case.notes.count() == 1


def test_households_merged_into_the_absorbed_one_point_to_the_survivor(pair, admin):
    earlier = HouseholdFactory(corporation=pair.survivor.corporation)
    household_merge(actor=admin, survivor=pair.absorbed, absorbed=earlier)
    household_merge(actor=admin, survivor=pair.survivor, absorbed=pair.absorbed)
    earlier.refresh_from_db()
    assert earlier.merged_into == pair.survivor
    # Its own history still says what happened then.
    event = HouseholdEvent.objects.get(household=earlier, kind="household_absorbed")
    assert event.data["survivor"] == pair.absorbed.pk


def test_a_main_tenant_who_joins_becomes_a_co_tenant(admin, household):
    other = HouseholdFactory(corporation=household.corporation)
    Resident.objects.create(household=other, name="Cor Ander", birth_year=1970, is_main_tenant=True)
    household_merge(actor=admin, survivor=household, absorbed=other)
    roles = dict(household.residents.values_list("name", "is_main_tenant"))
    assert roles == {"Anna de Test": True, "Cor Ander": False}
    assert household.residents.get(name="Cor Ander").is_co_tenant


# --- refused --------------------------------------------------------------------------------


def test_a_merge_across_corporations_is_refused(admin, household, other_household):
    with pytest.raises(ValidationError, match="eigen corporatie"):
        household_merge(actor=admin, survivor=household, absorbed=other_household)
    assert not Household.objects.filter(merged_into__isnull=False).exists()


@pytest.mark.parametrize("role", ["medewerker", "manager", "privacyfunctionaris"])
def test_only_an_administrator_merges_or_marks(household, corporation, role):
    member = MembershipFactory(organisation=corporation, role=role)
    other = HouseholdFactory(corporation=corporation)
    with pytest.raises(PermissionDenied):
        household_merge(actor=member, survivor=household, absorbed=other)
    with pytest.raises(PermissionDenied):
        households_mark_distinct(actor=member, household=household, other=other)


def test_a_welfare_administrator_merges_nothing(household, welfare):
    member = MembershipFactory(organisation=welfare, role="beheerder")
    with pytest.raises(PermissionDenied):
        household_merge(
            actor=member, survivor=household, absorbed=HouseholdFactory(corporation=welfare)
        )


def test_a_household_merged_already_or_the_same_one_is_refused(admin, household):
    other, third = (HouseholdFactory(corporation=household.corporation) for _ in range(2))
    household_merge(actor=admin, survivor=household, absorbed=other)
    with pytest.raises(ValidationError, match="al samengevoegd met een ander huishouden"):
        household_merge(actor=admin, survivor=third, absorbed=other)
    with pytest.raises(ValidationError, match="al samengevoegd met een ander huishouden"):
        household_merge(actor=admin, survivor=other, absorbed=third)
    with pytest.raises(ValidationError, match="twee verschillende"):
        household_merge(actor=admin, survivor=household, absorbed=household)


def test_both_with_an_open_joint_case_is_refused_and_nothing_moves(
    pair, admin, corporation_worker, census
):
    joint_cases.case_open(actor=corporation_worker, household=pair.survivor)
    before = census(pair.survivor, pair.absorbed)
    with pytest.raises(ValidationError, match="Beide huishoudens hebben een open casus"):
        household_merge(actor=admin, survivor=pair.survivor, absorbed=pair.absorbed)
    assert census(pair.survivor, pair.absorbed) == before


def test_open_referrals_on_both_sides_both_stay_open_on_the_survivor(pair, admin):
    referrals = list(pair.survivor.referrals.all()) + list(pair.absorbed.referrals.all())
    assert [r.is_open for r in referrals] == [True, True]
    household_merge(actor=admin, survivor=pair.survivor, absorbed=pair.absorbed)
    assert sorted(pair.survivor.referrals.open().values_list("pk", flat=True)) == sorted(
        r.pk for r in referrals
    )


# --- no new work on a closed record ---------------------------------------------------------


def test_nothing_new_lands_on_an_absorbed_household(
    pair, admin, corporation_worker, welfare, categories
):
    household_merge(actor=admin, survivor=pair.survivor, absorbed=pair.absorbed)
    absorbed = Household.objects.get(pk=pair.absorbed.pk)
    attempts = [
        lambda: home_visit_log(
            actor=corporation_worker,
            household=absorbed,
            visited_on=TODAY,
            kind="regulier",
            outcome="geen_zorgen",
        ),
        lambda: consent_record(
            actor=corporation_worker,
            household=absorbed,
            receiving_organisation=welfare,
            purpose="Hulp",
            categories=[categories[0]],
            given_how="mondeling",
            given_on=TODAY,
        ),
        lambda: referral_send(
            actor=corporation_worker,
            household=absorbed,
            to_organisation=welfare,
            signals=[SignalFactory(household=absorbed, category=categories[0])],
        ),
        lambda: request_package(corporation_worker, absorbed, absorbed.corporation),
        lambda: joint_cases.case_open(actor=corporation_worker, household=absorbed),
    ]
    for attempt in attempts:
        with (
            pytest.raises(
                ValidationError, match="samengevoegd met een ander huishouden; alles staat daar"
            ),
            transaction.atomic(),
        ):
            attempt()


@pytest.mark.django_db(transaction=True)
def test_a_visit_logged_while_the_merge_runs_waits_and_is_refused(
    corporation, corporation_worker, admin, neighbourhood
):
    """The merge holds both households; the visit on the absorbed one waits for it and is then
    told to go to the survivor, instead of landing on the closed record."""
    survivor, absorbed = (
        HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood) for _ in range(2)
    )
    merged, release, outcome = threading.Event(), threading.Event(), {}

    def merge():
        try:
            with transaction.atomic():
                household_merge(actor=admin, survivor=survivor, absorbed=absorbed)
                merged.set()
                release.wait(10)
        finally:
            connection.close()

    def visit():
        try:
            with transaction.atomic():
                home_visit_log(
                    actor=corporation_worker,
                    household=absorbed,
                    visited_on=TODAY,
                    kind="regulier",
                    outcome="geen_zorgen",
                )
            outcome["visit"] = "logged"
        except ValidationError as error:
            outcome["visit"] = " ".join(error.messages)
        finally:
            connection.close()

    merging = threading.Thread(target=merge)
    merging.start()
    assert merged.wait(10)
    visiting = threading.Thread(target=visit)
    visiting.start()
    time.sleep(0.5)
    assert "visit" not in outcome, "the visit waits for the merge"
    release.set()
    merging.join(10)
    visiting.join(10)
    assert "samengevoegd met een ander huishouden" in outcome["visit"]
    assert not HomeVisit.objects.filter(household=absorbed).exists()


# --- marked as distinct ---------------------------------------------------------------------


def test_marked_distinct_they_are_no_longer_flagged_and_who_and_when_is_kept(
    admin, corporation_worker, household
):
    room = HouseholdFactory(
        corporation=household.corporation,
        postcode="9901 AB",
        house_number=12,
        house_number_addition="a",
    )
    residents = list(household.residents.all())
    assert household_duplicates(actor=corporation_worker, household=household, residents=residents)
    log_before = access_log()
    decision = households_mark_distinct(actor=admin, household=room, other=household)
    assert (decision.household, decision.other) == (household, room), "lower id first"
    assert decision.decided_by == admin.user and decision.decided_for == admin.organisation
    assert decision.decided_at is not None
    assert (
        household_duplicates(actor=corporation_worker, household=household, residents=residents)
        == []
    )
    for this, that in ((household, room), (room, household)):
        event = HouseholdEvent.objects.get(household=this, kind="marked_distinct")
        assert event.data == {"other": that.pk} and event.user == admin.user
    new_rows = access_log()[len(log_before) :]
    assert sorted((r["household_id"], r["detail"]["distinct_from"]) for r in new_rows) == sorted(
        [(household.pk, room.pk), (room.pk, household.pk)]
    )
    with pytest.raises(ValidationError, match="al gemarkeerd als verschillend"):
        households_mark_distinct(actor=admin, household=household, other=room)
    assert DistinctHouseholds.objects.count() == 1


def test_marking_across_corporations_is_refused(admin, household, other_household):
    with pytest.raises(ValidationError, match="eigen corporatie"):
        households_mark_distinct(actor=admin, household=household, other=other_household)


# --- erasure ---------------------------------------------------------------------------------


def test_erasing_the_survivor_erases_the_absorbed_record_too(
    pair, admin, privacy_officer, welfare_worker
):
    for referral in pair.absorbed.referrals.all():
        referral.status = "afgerond"
        referral.closed_at = timezone.now()
        referral.save()
    for referral in pair.survivor.referrals.all():
        referral.status = "afgerond"
        referral.closed_at = timezone.now()
        referral.save()
    JointCase.objects.filter(household=pair.absorbed).update(
        status="gesloten", closing_summary="Klaar", closed_at=timezone.now()
    )
    household_merge(actor=admin, survivor=pair.survivor, absorbed=pair.absorbed)
    absorbed = Household.objects.get(pk=pair.absorbed.pk)
    assert erasure_refusals(actor=privacy_officer, household=absorbed) == [
        "Dit huishouden is samengevoegd met een ander huishouden: de gegevens staan daar. "
        "Corrigeer of wis ze daar; wie dat huishouden wist, wist dit dossier ook."
    ]
    household_erase(actor=privacy_officer, household=pair.survivor, received_on=TODAY)
    absorbed.refresh_from_db()
    assert absorbed.anonymised_at is not None
    assert (absorbed.street, absorbed.postcode, absorbed.phone) == ("", "", "")
    assert absorbed.tenancy_reference == f"AVG-{absorbed.pk}"
    merged = HouseholdEvent.objects.get(household=pair.survivor, kind="household_merged")
    assert "tenancy_reference" not in merged.data, "the old reference goes with erasure"
    assert not Resident.objects.exclude(name="").filter(household=pair.survivor).exists()
