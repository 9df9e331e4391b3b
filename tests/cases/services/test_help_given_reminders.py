"""The reminder when an agreed match is quiet (cases.services.help_given.help_matches_remind,
run by the Celery task of beat, ADR 0035): the worker who proposed it hears once per quiet
period, through the notifications' outbox; new activity starts a new period. Celery runs
eagerly here, as in the other notification tests."""

import datetime

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases import tasks
from cases.services.help_given import help_given_record, help_matches_remind
from partners.kinds import text_of
from partners.models import Notification
from tests.factories import MembershipFactory, received

pytestmark = pytest.mark.django_db
QUIET = Notification.Kind.HELP_QUIET


def test_the_setting_defaults_to_three_weeks_and_beat_runs_the_task():
    assert settings.HELP_MATCH_QUIET_DAYS == 21
    tasks_run = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "cases.tasks.help_matches_remind" in tasks_run


def test_a_quiet_match_reminds_its_worker_once(
    agreed_match, corporation_worker, household, django_capture_on_commit_callbacks
):
    match = agreed_match(corporation_worker, household, days_ago=22)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.help_matches_remind.delay().get() == 1
    note = received(corporation_worker.user, QUIET).get()
    assert note.url == reverse("help_given:record", args=[match.pk])
    assert note.delivered_at is not None  # the outbox's delivery ran after commit
    assert "21" in text_of(note) and household.street not in text_of(note)
    assert tasks.help_matches_remind.delay().get() == 0
    assert received(corporation_worker.user, QUIET).count() == 1


def test_not_before_the_quiet_days_nor_for_a_match_not_agreed(
    agreed_match, corporation_worker, household
):
    agreed_match(corporation_worker, household, days_ago=20)
    ended = agreed_match(corporation_worker, household, days_ago=40)
    ended.status, ended.ended_at = "beeindigd", timezone.now()
    ended.save()
    assert tasks.help_matches_remind.delay().get() == 0


@override_settings(HELP_MATCH_QUIET_DAYS=5)
def test_the_setting_decides_how_long_is_quiet(agreed_match, corporation_worker, household):
    agreed_match(corporation_worker, household, days_ago=6)
    assert tasks.help_matches_remind.delay().get() == 1


def test_new_activity_starts_a_new_quiet_period(agreed_match, corporation_worker, household):
    match = agreed_match(corporation_worker, household, days_ago=30)
    assert tasks.help_matches_remind.delay().get() == 1
    help_given_record(
        actor=corporation_worker, match=match, given_on=timezone.localdate(), minutes=60
    )
    assert tasks.help_matches_remind.delay().get() == 0  # active again
    later = timezone.now() + datetime.timedelta(days=22)
    assert help_matches_remind(now=later) == 1
    assert received(corporation_worker.user, QUIET).count() == 2


def test_a_worker_who_left_is_replaced_by_the_organisations_workers(
    agreed_match, corporation_worker, household, corporation
):
    match = agreed_match(corporation_worker, household, days_ago=30)
    corporation_worker.ended_at = timezone.now()
    corporation_worker.save()
    colleague = MembershipFactory(organisation=corporation, role="medewerker")
    assert tasks.help_matches_remind.delay().get() == 1
    assert received(colleague.user, QUIET).get().organisation_id == match.request.organisation_id
    assert not received(corporation_worker.user).exists()
