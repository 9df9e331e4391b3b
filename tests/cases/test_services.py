import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import AccessLog, HomeVisit, HouseholdEvent, Signal
from cases.services.signals import signal_category_save, signal_change_status
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


@pytest.fixture
def signal(corporation_worker, household, categories):
    saved = visit(corporation_worker, household, [SignalInput(categories[0], "midden", "x")])
    return saved.signals.get()


def test_a_signal_moves_along_its_workflow_and_each_change_is_recorded(corporation_worker, signal):
    for status in ("in_behandeling", "doorverwezen", "opgelost", "open"):
        signal_change_status(actor=corporation_worker, signal=signal, status=status)
    signal.refresh_from_db()
    assert signal.status == "open"
    changes = HouseholdEvent.objects.filter(kind="signal_status_changed").order_by("at", "id")
    assert [(e.data["from"], e.data["to"]) for e in changes] == [
        ("open", "in_behandeling"),
        ("in_behandeling", "doorverwezen"),
        ("doorverwezen", "opgelost"),
        ("opgelost", "open"),
    ]
    assert all(e.user_id == corporation_worker.user_id for e in changes)


def test_closing_needs_a_reason(corporation_worker, signal):
    with pytest.raises(ValidationError) as error:
        signal_change_status(actor=corporation_worker, signal=signal, status="gesloten")
    assert "reason" in error.value.error_dict
    signal_change_status(
        actor=corporation_worker, signal=signal, status="gesloten", reason="Verhuisd"
    )
    signal.refresh_from_db()
    assert (signal.status, signal.closed_reason) == ("gesloten", "Verhuisd")


def test_a_transition_outside_the_workflow_is_refused(corporation_worker, signal):
    signal_change_status(actor=corporation_worker, signal=signal, status="opgelost")
    with pytest.raises(ValidationError):
        signal_change_status(actor=corporation_worker, signal=signal, status="in_behandeling")


def test_only_administrators_change_categories(admin, corporation_worker):
    with pytest.raises(ValidationError):
        signal_category_save(
            actor=corporation_worker, name="Nieuw", life_area="wonen", usual_partner_kind="zorg"
        )
    category = signal_category_save(
        actor=admin, name="Schimmel in huis", life_area="wonen", usual_partner_kind="corporatie"
    )
    assert category.code == "schimmel-in-huis"
    with pytest.raises(ValidationError):
        signal_category_save(
            actor=admin, name="schimmel in huis", life_area="wonen", usual_partner_kind="zorg"
        )
