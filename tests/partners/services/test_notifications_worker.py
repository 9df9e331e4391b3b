"""Delivery by a real Celery worker process through a real Redis that this module starts on a
spare port of its own (so stopping it never touches the machine's Redis): a referral's
notification arrives; a 60-second Redis outage loses nothing and doubles nothing; a worker killed
with SIGKILL in the middle of a delivery delivers exactly once after it is restarted."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from cases.services.consents import consent_record
from cases.services.referrals import referral_send
from inclusie.celery import app
from partners.models import Membership, Notification
from tests.factories import MembershipFactory, SignalFactory, agree

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]
OUTAGE_SECONDS = 60
MESSAGE_ID = re.compile(r"^Message-ID: <notification-(\d+)@inclusie>", re.MULTILINE)


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, *, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}.")


class OwnRedis:
    """A redis-server of the test's own, on a spare port, keeping nothing on disk."""

    def __init__(self, workdir: Path):
        self.port = spare_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port, socket_timeout=1)

        def answers():
            try:
                return client.ping()
            except redis.RedisError:
                return False

        wait_for(answers, timeout=10, what="redis-server to answer")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Worker:
    """`celery -A inclusie worker` in its own process, on the test database and our Redis."""

    def __init__(self, redis: OwnRedis, mail_dir: Path, log: Path, **env):
        database = connection.settings_dict
        self.env = (
            os.environ
            | {
                "DATABASE_URL": (
                    f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
                    f"{database['NAME']}"
                ),
                "REDIS_URL": redis.url,
                "CELERY_TASK_ALWAYS_EAGER": "false",
                "EMAIL_BACKEND": "tests.partners.slow_mail.SlowFileBackend",
                "EMAIL_FILE_PATH": str(mail_dir),
                "NOTIFICATION_CLAIM_SECONDS": "3",
                "NOTIFICATION_SWEEP_AFTER": "1",
                "LOG_LEVEL": "INFO",
            }
            | env
        )
        self.log = log
        self.process = None

    def start(self):
        offset = self.log.stat().st_size if self.log.exists() else 0
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "inclusie",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )

        def ready():
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            return "ready." in self.log.read_text()[offset:]

        wait_for(ready, timeout=60, what="the Celery worker to be ready")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def redis_server(tmp_path, in_ci):
    if not shutil.which("redis-server"):
        if in_ci:
            pytest.fail("redis-server is required under CI=true")
        pytest.skip("redis-server is not installed")
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server):
    """This process publishes to our Redis, for real (no eager tasks)."""
    before = dict(app.conf.broker_url and {"broker_url": app.conf.broker_url} or {})
    eager = app.conf.task_always_eager

    def reset():  # forget connections made to the other broker
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(broker_url=redis_server.url, task_always_eager=False)
    reset()
    yield redis_server
    app.conf.update(task_always_eager=eager, **before)
    reset()


@pytest.fixture
def mail_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def worker(broker, mail_dir, tmp_path):
    process = Worker(broker, mail_dir, tmp_path / "worker.log")
    process.start()
    yield process
    process.stop()


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


def test_the_worker_delivers_a_referrals_notification(worker, send, mail_dir):
    send()
    note = Notification.objects.get()
    assert note.recipient == send.intake.user
    wait_for(delivered, timeout=30, what="the worker to deliver")
    assert mails_per_notification(mail_dir) == {note.pk: 1}
    note.refresh_from_db()
    assert note.emailed_at is not None and note.attempts == 1
    assert "notification_deliver" in worker.log.read_text()


def test_a_redis_outage_loses_nothing_and_doubles_nothing(worker, broker, send, mail_dir):
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


def test_a_worker_killed_mid_delivery_delivers_exactly_once(broker, send, mail_dir, tmp_path):
    slow = Worker(broker, mail_dir, tmp_path / "worker.log", SLOW_MAIL_SECONDS="5")
    slow.start()
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

        fast = Worker(broker, mail_dir, tmp_path / "worker.log", SLOW_MAIL_SECONDS="0")
        fast.start()
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
