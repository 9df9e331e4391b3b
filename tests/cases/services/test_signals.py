"""A signal moves along its workflow, each change recorded; administrators keep the categories."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import HouseholdEvent
from cases.services.signals import signal_category_save, signal_change_status
from cases.services.visits import SignalInput, home_visit_log
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def signal(corporation_worker, household, categories):
    """A signal logged on a home visit."""
    saved = home_visit_log(
        actor=corporation_worker,
        household=household,
        visited_on=TODAY,
        kind="regulier",
        outcome="signalen",
        notes="",
        signals=[SignalInput(categories[0], "midden", "x")],
    )
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


def test_only_installation_administrators_change_the_shared_categories(admin, outsider_admin):
    """Every organisation's signals, agreements and dashboards use the categories (ADR 0007):
    no organisation's administrator renames them for the others."""
    for membership in (admin, outsider_admin):
        with pytest.raises(PermissionDenied):
            signal_category_save(
                user=membership.user, name="Nieuw", life_area="wonen", usual_partner_kind="zorg"
            )
    installer = UserFactory(email="installatie@test.example", is_installation_admin=True)
    category = signal_category_save(
        user=installer, name="Schimmel in huis", life_area="wonen", usual_partner_kind="corporatie"
    )
    assert category.code == "schimmel-in-huis"
    with pytest.raises(ValidationError):
        signal_category_save(
            user=installer, name="schimmel in huis", life_area="wonen", usual_partner_kind="zorg"
        )
