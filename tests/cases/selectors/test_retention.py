"""What retention will take: the preview shows what the next month anonymises, counted in
calendar months."""

import datetime

import pytest
from django.utils import timezone, translation

from cases.access.log import log_access
from cases.models import AccessLog, Signal
from cases.selectors.retention import months_before, retention_preview
from tests.factories import HouseholdFactory, SignalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_months_before_counts_calendar_months():
    moment = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=datetime.UTC)
    assert months_before(moment, 1) == datetime.datetime(2026, 2, 28, 12, 0, tzinfo=datetime.UTC)
    assert months_before(moment, 24) == datetime.datetime(2024, 3, 31, 12, 0, tzinfo=datetime.UTC)
    assert months_before(moment, -11) == datetime.datetime(2027, 2, 28, 12, 0, tzinfo=datetime.UTC)


def test_the_preview_shows_what_the_next_month_will_anonymise(
    terms, privacy_officer, household, corporation_worker, categories, outsider
):
    now = timezone.now()
    due_soon = now - datetime.timedelta(days=24 * 31 - 40)  # past two years within 30 days

    def closed_signal(when, **kwargs):
        signal = SignalFactory(household=household, category=categories[0], **kwargs)
        Signal.objects.filter(pk=signal.pk).update(status="opgelost", status_changed_at=when)

    closed_signal(months_before(now, 25))  # past its term: the next night takes it
    closed_signal(months_before(now, 24) + datetime.timedelta(days=10))  # within 30 days
    closed_signal(now - datetime.timedelta(days=30))  # not yet

    theirs = HouseholdFactory(corporation=outsider.organisation)
    signal = SignalFactory(household=theirs, category=categories[0])
    Signal.objects.filter(pk=signal.pk).update(status="opgelost", status_changed_at=due_soon)
    log_access(actor=corporation_worker, action="view", household=household, obj=household)
    preview = {
        line.kind: line
        for line in retention_preview(organisation_id=privacy_officer.organisation_id)
    }
    assert (preview["signals"].due_now, preview["signals"].due_soon) == (1, 1)
    assert "access_log" not in preview, "the installation's term, not the organisation's"
    assert preview["signals"].months == 24
    assert not AccessLog.objects.filter(action="audit").exists(), "counts only: nothing to log"
