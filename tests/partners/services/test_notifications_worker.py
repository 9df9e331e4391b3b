"""Delivery by a real Celery worker process through a real Redis that the test starts on a
spare port of its own (tests/servers.py; stopping it never touches the machine's Redis): a
referral's notification arrives; a 60-second Redis outage loses nothing and doubles nothing; a
worker killed with SIGKILL in the middle of a delivery delivers exactly once after it is
restarted."""

import re
import time
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone

from cases.services.consents import consent_record
from cases.services.referrals import referral_send
from partners.models import Membership, Notification
from tests.factories import MembershipFactory, SignalFactory, agree

pytestmark = pytest.mark.django_db(transaction=True)
OUTAGE_SECONDS = 60
MESSAGE_ID = re.compile(r"^Message-ID: <notification-(\d+)@inclusie>", re.MULTILINE)


@pytest.fixture
def mail_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def mail_worker(start_worker, mail_dir):
    """start_worker with the mail of notifications going to files in mail_dir."""

    def start(**env):
        return start_worker(
            EMAIL_BACKEND="tests.partners.slow_mail.SlowFileBackend",
            EMAIL_FILE_PATH=str(mail_dir),
            NOTIFICATION_CLAIM_SECONDS="3",
            NOTIFICATION_SWEEP_AFTER="1",
            **env,
        )

    return start


@pytest.fixture
def worker(mail_worker):
    return mail_worker()


def mails_per_notification(mail_dir: Path) -> Counter:
    found = Counter()
    for path in mail_dir.iterdir():
        found.update(int(pk) for pk in MESSAGE_ID.findall(path.read_text()))
    return found


@pytest.fixture
def send(corporation_worker, household, welfare, categories):
    """A referral on consent to welfare, whose intake is told."""
    lonely = categories[0]
    agree(corporation_worker.organisation, welfare, lonely)
    consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose="Ondersteuning bij eenzaamheid",
        categories=[lonely],
        given_how="mondeling",
        given_on=timezone.localdate(),
    )
    intake = MembershipFactory(
        organisation=welfare, role=Membership.Role.MEDEWERKER, receives_referrals=True
    )

    def _send():
        signal = SignalFactory(household=household, category=lonely)
        referral_send(
            actor=corporation_worker,
            household=household,
            to_organisation=welfare,
            signals=[signal],
        )

    _send.intake = intake
    return _send


def delivered() -> int:
    return Notification.objects.filter(delivered_at__isnull=False).count()


def test_the_worker_delivers_a_referrals_notification(worker, send, mail_dir, wait_for):
    send()
    note = Notification.objects.get()
    assert note.recipient == send.intake.user
    wait_for(delivered, timeout=30, what="the worker to deliver")
    assert mails_per_notification(mail_dir) == {note.pk: 1}
    note.refresh_from_db()
    assert note.emailed_at is not None and note.attempts == 1
    assert "notification_deliver" in worker.log.read_text()


def test_a_redis_outage_loses_nothing_and_doubles_nothing(worker, broker, send, mail_dir, wait_for):
    send()
    wait_for(delivered, timeout=30, what="the first delivery")
    broker.stop()
    made = 1
    stopped = time.monotonic()
    while time.monotonic() - stopped < OUTAGE_SECONDS:  # people keep working meanwhile
        send()
        made += 1
        time.sleep(3)
    assert delivered() == 1  # nothing could be queued
    broker.start()  # an empty Redis: whatever was queued before is gone
    time.sleep(
        2
    )  # the sweep runs every minute from beat; here once, after NOTIFICATION_SWEEP_AFTER
    from partners.tasks import notifications_sweep

    wait_for(lambda: _sweep(notifications_sweep), timeout=60, what="the sweep to be queued")
    wait_for(lambda: delivered() == made, timeout=90, what=f"all {made} deliveries")
    notifications_sweep.delay()  # a second sweep finds nothing to do
    time.sleep(2)
    counts = mails_per_notification(mail_dir)
    assert len(counts) == made and set(counts.values()) == {1}


def _sweep(task) -> bool:
    try:
        task.apply_async(retry=False)
    except Exception:
        return False
    return True


def test_a_worker_killed_mid_delivery_delivers_exactly_once(mail_worker, send, mail_dir, wait_for):
    slow = mail_worker(SLOW_MAIL_SECONDS="5")
    try:
        send()
        note = Notification.objects.get()
        # The worker has claimed the row and is talking to the (slow) mail server.
        wait_for(
            lambda: Notification.objects.filter(pk=note.pk, claimed_until__isnull=False).exists(),
            timeout=30,
            what="the worker to start delivering",
        )
        time.sleep(0.5)
        slow.kill()
        assert mails_per_notification(mail_dir) == {}
        note.refresh_from_db()
        assert note.delivered_at is None and note.attempts == 1

        fast = mail_worker(SLOW_MAIL_SECONDS="0")
        try:
            wait_for(
                lambda: note.__class__.objects.get(pk=note.pk).claimed_until < timezone.now(),
                timeout=10,
                what="the dead worker's claim to end",
            )
            from partners.tasks import notification_deliver, notifications_sweep

            notifications_sweep.delay()
            notification_deliver.delay(note.pk)  # and the original message, redelivered
            wait_for(delivered, timeout=30, what="the delivery after the restart")
            time.sleep(2)
        finally:
            fast.stop()
    finally:
        slow.stop()
    assert mails_per_notification(mail_dir) == {note.pk: 1}
    note.refresh_from_db()
    assert note.attempts == 2
