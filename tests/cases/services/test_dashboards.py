"""The rebuild of the dashboards' tallies: safe to run twice, counting only what changed gives what
counting everything gives, often by a beat job and everything at night."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from cases.models import DashboardRefresh, DashboardTally
from cases.services.dashboards import dashboard_refresh
from cases.services.referrals import referral_decline
from inclusie.celery import app
from tests.factories import MembershipFactory, SignalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(dashboard_world):
    """The hand-counted world, its tallies counted (tests/worlds/dashboards.py)."""
    return dashboard_world


def test_the_rebuild_is_safe_to_run_twice_and_replaces_everything(world):
    first = sorted(DashboardTally.objects.values_list("figure", "key", "value"))
    refresh = dashboard_refresh()
    assert sorted(DashboardTally.objects.values_list("figure", "key", "value")) == first
    assert DashboardRefresh.objects.count() == 1
    assert refresh.rows == len(first) and refresh.refreshed_at is not None


def _tallies():
    return sorted(
        DashboardTally.objects.values_list(
            "organisation",
            "figure",
            "grain",
            "period_start",
            "neighbourhood",
            "category",
            "partner",
            "key",
            "value",
            "households",
        ),  # fmt: skip
        key=str,
    )


def test_counting_only_what_changed_gives_what_counting_everything_gives(
    world, care, corporation_worker, categories
):
    from cases.models import HomeVisit, JointCase

    full = _tallies()
    dashboard_refresh(full=False)
    assert _tallies() == full, "nothing changed: the same tallies"
    SignalFactory(household=world.households["h2"], category=categories[0])
    HomeVisit.objects.create(
        household=world.households["h4"],
        visited_on=world.last_month + timedelta(days=3),  # logged now, done last month
        kind="regulier",
        outcome="geen_zorgen",
        created_by=corporation_worker.user,
        organisation=corporation_worker.organisation,
    )
    care_worker = MembershipFactory(organisation=care)
    referral_decline(
        actor=care_worker, referral=world.referrals["r3"], reason="Al in zorg", category="al_hulp"
    )
    JointCase.objects.filter(status="open").update(
        status="gesloten", closing_summary="Klaar", closed_at=timezone.now()
    )
    refresh = dashboard_refresh(full=False)
    assert not refresh.full and refresh.rows < len(full)
    changed = _tallies()
    assert changed != full
    dashboard_refresh(full=True)
    assert _tallies() == changed


def test_a_beat_job_counts_the_tallies_often_and_everything_at_night():
    entry = settings.CELERY_BEAT_SCHEDULE["dashboard-refresh"]
    assert entry["task"] == "cases.tasks.dashboard_refresh"
    assert entry["schedule"] == settings.DASHBOARD_REFRESH_SECONDS
    assert "kwargs" not in entry  # only what changed
    nightly = settings.CELERY_BEAT_SCHEDULE["dashboard-refresh-full"]
    assert nightly["task"] == entry["task"] and nightly["kwargs"] == {"full": True}
    assert nightly["schedule"].hour == {3}
    from cases import tasks

    assert app.tasks[entry["task"]].name == tasks.dashboard_refresh.name
