"""Benchmark: notifications delivered per second by one Celery worker, and the delay from commit
to delivered (issue 5). Starts its own worker process (`celery -A inclusie worker`, prefork with
one process per core) against REDIS_URL, e-mail rendered in full and handed to Django's dummy
backend (the SMTP server is outside the project).

Two runs: a burst of --burst notifications committed at once (the worker's ceiling), then a
steady load at --load-share of that ceiling for --seconds seconds, committed in small
transactions as requests would; for the steady run it reports the p50/p95/p99 of
delivered_at - commit time.

Run on a scratch PostgreSQL database and a Redis database of its own:

    createdb -h 127.0.0.1 -U postgres inclusie_bench_notify
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/inclusie_bench_notify
    export REDIS_URL=redis://127.0.0.1:6379/14 CELERY_TASK_ALWAYS_EAGER=false
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/notifications.py
    dropdb -h 127.0.0.1 -U postgres inclusie_bench_notify
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusie.settings")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402

from partners.models import Membership, Notification, Organisation, User  # noqa: E402
from partners.services.notifications import notify  # noqa: E402

Kind = Notification.Kind
LOG = Path(os.environ.get("TMPDIR", "/tmp")) / "bench-notifications-worker.log"  # noqa: S108


def people(count: int) -> tuple[Organisation, list[User]]:
    organisation, _ = Organisation.objects.get_or_create(
        name="Welzijn Benchmark", defaults={"kind": Organisation.Kind.WELZIJN}
    )
    users = []
    for number in range(count):
        user, _ = User.objects.get_or_create(
            email=f"intake{number}@benchmark.example", defaults={"name": f"Intake {number}"}
        )
        Membership.objects.get_or_create(
            user=user, organisation=organisation, ended_at=None, defaults={"role": "medewerker"}
        )
        users.append(user)
    return organisation, users


def start_worker() -> subprocess.Popen:
    log = LOG.open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "inclusie", "worker", "-l", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=os.environ | {"CELERY_TASK_ALWAYS_EAGER": "false"},
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    time.sleep(6)
    assert worker.poll() is None, f"the worker did not start; see {LOG}"
    return worker


def write(organisation, users, count: int, tag: str) -> tuple[list[int], float]:
    """Write `count` notifications in one transaction (one per recipient); their ids and the
    moment of commit."""
    pks = []
    with transaction.atomic():
        for number in range(count):
            rows = notify(
                recipients=[users[number % len(users)]],
                kind=Kind.REFERRAL_NEW,
                organisation=organisation,
                url="/verwijzingen/",
                data={"sender": "Woonstichting Benchmark", "run": tag},
            )
            pks.extend(row.pk for row in rows)
    return pks, time.time()


def wait_delivered(tag: str, expected: int, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = Notification.objects.filter(data__run=tag, delivered_at__isnull=False).count()
        if done >= expected:
            return
        time.sleep(0.2)
    raise SystemExit(f"{tag}: only {done} of {expected} delivered after {timeout} s")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--burst", type=int, default=3000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--load-share", type=float, default=0.7)
    args = parser.parse_args()
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.REDIS_URL:
        raise SystemExit("Set REDIS_URL and CELERY_TASK_ALWAYS_EAGER=false (see the docstring).")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("Run on PostgreSQL (see the docstring).")
    organisation, users = people(50)
    worker = start_worker()
    try:
        tag = f"burst-{time.time():.0f}"
        started = time.time()
        _pks, committed = write(organisation, users, args.burst, tag)
        wait_delivered(tag, args.burst)
        rows = Notification.objects.filter(data__run=tag)
        last = max(rows.values_list("delivered_at", flat=True)).timestamp()
        rate = args.burst / (last - committed)
        print(f"burst: {args.burst} written in {committed - started:.1f} s, delivered "
              f"{last - committed:.1f} s after commit: {rate:.0f} notifications/s")  # fmt: skip

        steady = f"steady-{time.time():.0f}"
        per_second = max(1, int(rate * args.load_share))
        batch = max(1, per_second // 10)  # ten small transactions a second
        commits = {}
        end = time.monotonic() + args.seconds
        written = 0
        while time.monotonic() < end:
            tick = time.monotonic()
            pks, at = write(organisation, users, batch, steady)
            commits.update(dict.fromkeys(pks, at))
            written += batch
            time.sleep(max(0.0, 0.1 - (time.monotonic() - tick)))
        wait_delivered(steady, written)
        delays = [
            (delivered.timestamp() - commits[pk]) * 1000
            for pk, delivered in Notification.objects.filter(data__run=steady).values_list(
                "pk", "delivered_at"
            )
        ]
        share = f"{args.load_share:.0%} of the burst rate"
        print(f"steady: {written} notifications over {args.seconds} s "
              f"({written / args.seconds:.0f}/s, {share})")  # fmt: skip
        print(f"commit → delivered: p50 {statistics.median(delays):.0f} ms, "
              f"p95 {percentile(delays, 0.95):.0f} ms, p99 {percentile(delays, 0.99):.0f} ms, "
              f"max {max(delays):.0f} ms")  # fmt: skip
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
