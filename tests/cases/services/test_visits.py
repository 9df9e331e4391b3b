"""A home visit is logged with its signals, its history and one access-log row, or not at all."""

import datetime

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
