"""A home visit is logged with its signals, its history and one access-log row, or not at all."""

import datetime
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import AccessLog, HomeVisit, HouseholdEvent, Signal
from cases.services.visits import SignalInput, home_visit_log

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def visit(actor, household, signals=(), **overrides):
    data = {
        "visited_on": TODAY,
        "kind": "regulier",
        "outcome": "signalen" if signals else "geen_zorgen",
        "notes": "",
    }
    data.update(overrides)
    return home_visit_log(actor=actor, household=household, signals=list(signals), **data)


def test_a_visit_with_signals_is_saved_with_its_history_and_one_access_row(
    corporation_worker, household, categories
):
    signals = [
        SignalInput(categories[0], "hoog", "Woont alleen, weinig contact"),
        SignalInput(categories[1], "midden", "Twee maanden huur open", TODAY),
    ]
    saved = visit(corporation_worker, household, signals, notes="Koffie gedronken")
    assert saved.signals.count() == 2
    assert Signal.objects.filter(household=household, status="open").count() == 2
    kinds = list(HouseholdEvent.objects.filter(household=household).values_list("kind", flat=True))
    assert sorted(kinds) == ["signal_opened", "signal_opened", "visit_logged"]
    log = AccessLog.objects.get()
    assert (log.action, log.household, log.organisation, log.role, log.legal_basis) == (
        "create",
        household,
        corporation_worker.organisation,
        "medewerker",
        "eigen_huurder",
    )


def test_a_visit_without_signals(corporation_worker, household):
    saved = visit(corporation_worker, household, outcome="niet_thuis")
    assert saved.signals.count() == 0
    assert HouseholdEvent.objects.filter(kind="visit_logged").count() == 1


def test_a_visit_cannot_be_in_the_future(corporation_worker, household):
    with pytest.raises(ValidationError) as error:
        visit(corporation_worker, household, visited_on=TODAY + datetime.timedelta(days=1))
    assert "visited_on" in error.value.error_dict
    assert HomeVisit.objects.count() == 0


@pytest.mark.parametrize(
    "visited_on",
    [
        datetime.date(1, 1, 1),
        TODAY - datetime.timedelta(days=36500),
        TODAY - datetime.timedelta(367),
    ],
    ids=["year-1", "a-century-ago", "over-a-year-ago"],
)
def test_a_visit_is_not_dated_before_a_year_ago(corporation_worker, household, visited_on):
    with pytest.raises(ValidationError) as error:
        visit(corporation_worker, household, visited_on=visited_on)
    assert "visited_on" in error.value.error_dict
    assert HomeVisit.objects.count() == 0


def test_a_visit_of_a_year_ago_is_logged(corporation_worker, household):
    visit(corporation_worker, household, visited_on=TODAY - datetime.timedelta(days=365))
    assert HomeVisit.objects.count() == 1


def test_outcome_and_signals_must_agree(corporation_worker, household, categories):
    with pytest.raises(ValidationError):
        visit(corporation_worker, household, outcome="signalen")
    with pytest.raises(ValidationError):
        visit(
            corporation_worker,
            household,
            [SignalInput(categories[0], "laag", "x")],
            outcome="geen_zorgen",
        )
    assert HomeVisit.objects.count() == 0


def test_nothing_is_half_saved(corporation_worker, household, categories, monkeypatch):
    original = HouseholdEvent.objects.bulk_create

    def failing(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(HouseholdEvent.objects, "bulk_create", failing)
    with pytest.raises(RuntimeError):
        visit(corporation_worker, household, [SignalInput(categories[0], "laag", "x")])
    monkeypatch.setattr(HouseholdEvent.objects, "bulk_create", original)
    assert (HomeVisit.objects.count(), Signal.objects.count(), AccessLog.objects.count()) == (
        0,
        0,
        0,
    )


def test_another_corporations_household_is_refused(outsider, household):
    with pytest.raises(ValidationError):
        visit(outsider, household)
    assert HomeVisit.objects.count() == 0


# --- Visits kept on a device (ADR 0030) ---------------------------------------------------------


def test_a_visit_sent_again_with_its_device_key_is_stored_once(
    corporation_worker, household, categories
):
    key = uuid.uuid4()
    signals = [SignalInput(categories[0], "hoog", "Woont alleen")]
    first = visit(corporation_worker, household, signals, device_key=key)
    again = visit(corporation_worker, household, signals, device_key=key, notes="anders")
    assert again.pk == first.pk
    assert HomeVisit.objects.count() == 1
    assert Signal.objects.count() == 1
    assert AccessLog.objects.filter(action=AccessLog.Action.CREATE).count() == 1
    assert HouseholdEvent.objects.filter(kind="visit_logged").count() == 1


def test_the_same_key_of_another_person_is_another_visit(
    corporation_worker, household, corporation
):
    from tests.factories import MembershipFactory

    colleague = MembershipFactory(organisation=corporation, role="medewerker")
    key = uuid.uuid4()
    visit(corporation_worker, household, device_key=key)
    visit(colleague, household, device_key=key)
    assert HomeVisit.objects.count() == 2


def test_when_it_was_made_on_the_device_and_when_it_arrived_are_both_kept(
    corporation_worker, household
):
    made = timezone.now() - datetime.timedelta(hours=3)
    key = uuid.uuid4()
    saved = visit(corporation_worker, household, device_key=key, made_at=made)
    assert saved.made_at == made
    assert saved.created_at - made >= datetime.timedelta(hours=3)
    event = HouseholdEvent.objects.get(kind="visit_logged")
    assert event.data["made_at"] == made.isoformat()
    assert event.at == saved.created_at
    log = AccessLog.objects.get(action=AccessLog.Action.CREATE)
    assert log.detail == {"made_at": made.isoformat(), "device_key": str(key)}
    assert log.at >= saved.created_at


def test_a_device_clock_that_runs_ahead_is_not_believed(corporation_worker, household):
    saved = visit(
        corporation_worker,
        household,
        device_key=uuid.uuid4(),
        made_at=timezone.now() + datetime.timedelta(days=2),
    )
    assert saved.made_at <= saved.created_at


@pytest.mark.django_db(transaction=True)
def test_two_sends_of_one_key_at_the_same_moment_store_one_visit(
    corporation_worker, household, categories
):
    from django.db import connection

    key = uuid.uuid4()
    signals = [SignalInput(categories[0], "hoog", "Woont alleen")]
    results, start = [], threading.Barrier(2)

    def send():
        try:
            start.wait()
            results.append(visit(corporation_worker, household, signals, device_key=key).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2 and results[0] == results[1]
    assert HomeVisit.objects.count() == 1
    assert Signal.objects.count() == 1


def test_a_key_that_came_with_a_visit_to_another_household_is_refused(
    corporation_worker, household, corporation, neighbourhood
):
    from tests.factories import HouseholdFactory

    elsewhere = HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood)
    key = uuid.uuid4()
    visit(corporation_worker, household, device_key=key)
    with pytest.raises(ValidationError):
        visit(corporation_worker, elsewhere, device_key=key)
    assert list(HomeVisit.objects.values_list("household", flat=True)) == [household.pk]


@pytest.mark.parametrize(
    "made_at",
    [
        datetime.datetime(2026, 1, 1, 9, 0),  # without a time zone
        timezone.now() - datetime.timedelta(days=3),  # before the day of the visit
    ],
    ids=["naive", "before-the-visit"],
)
def test_a_time_made_on_the_device_that_cannot_be_true_is_left_out_but_the_key_is_logged(
    corporation_worker, household, made_at
):
    key = uuid.uuid4()
    saved = visit(corporation_worker, household, device_key=key, made_at=made_at)
    assert saved.made_at is None
    log = AccessLog.objects.get(action=AccessLog.Action.CREATE)
    assert log.detail == {"device_key": str(key)}


def test_an_erased_household_takes_no_visit(corporation_worker, household):
    household.anonymised_at = timezone.now()
    household.save(update_fields=["anonymised_at"])
    with pytest.raises(ValidationError, match="gewist"):
        visit(corporation_worker, household)
    assert HomeVisit.objects.count() == 0
