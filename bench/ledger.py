"""Benchmark: the costs-and-savings ledger page (issue 6, item 5) as the number of signals grows.

Seeds the demo town, then adds fictional signals (half of them resolved, spread over this year)
in steps, and times the ledger page of the demo corporation's manager for the current year
through Django's test client: median and slowest of seven requests, and the number of queries
(which must not grow). One request at a time; no concurrency.

It writes demo data and access-log rows, and the access log cannot be deleted (append-only), so
run it on a scratch PostgreSQL database:

    createdb -h 127.0.0.1 -U postgres inclusie_bench_ledger
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/inclusie_bench_ledger
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/ledger.py                   # --signals 10000 100000 1000000
    dropdb -h 127.0.0.1 -U postgres inclusie_bench_ledger
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusie.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import Household, Signal, SignalCategory  # noqa: E402
from partners.models import Membership  # noqa: E402

MANAGER = "manager.corporatie@lindenhoven.example"


def fill(total: int, rng: random.Random) -> None:
    """Add fictional signals until there are `total`; half resolved, all dated this year."""
    households = list(Household.objects.values_list("pk", "corporation_id"))
    categories = list(SignalCategory.objects.values_list("pk", flat=True))
    author = Membership.objects.filter(role="medewerker").values_list("user_id", flat=True)[0]
    start = timezone.now().replace(month=1, day=1, hour=9, minute=0)
    span = max(1, int((timezone.now() - start).total_seconds() // 60))
    batch = []
    for _n in range(total - Signal.objects.count()):
        household, corporation = rng.choice(households)
        when = start + timedelta(minutes=rng.randrange(span))
        batch.append(
            Signal(
                household_id=household,
                category_id=rng.choice(categories),
                severity="midden",
                description="Bench",
                status=rng.choice(("opgelost", "open", "gesloten", "opgelost")),
                created_by_id=author,
                organisation_id=corporation,
                created_at=when,
                status_changed_at=when,
            )
        )
        if len(batch) == 5000:
            Signal.objects.bulk_create(batch)
            batch = []
    Signal.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", password=secrets.token_urlsafe(16), stdout=quiet)
    client = Client()
    manager = Membership.objects.get(user__email=MANAGER)
    client.force_login(manager.user, backend="django.contrib.auth.backends.ModelBackend")
    client.get("/kosten-en-baten/")  # the first request stamps the session
    rng = random.Random(2026)
    print("| signals | resolved | queries | median ms | slowest ms |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for total in sorted(args.signals):
        fill(total, rng)
        times = []
        for _run in range(7):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get("/kosten-en-baten/")
                times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
        resolved = Signal.objects.filter(status="opgelost").count()
        print(
            f"| {Signal.objects.count():,} | {resolved:,} | {len(queries)} | "
            f"{statistics.median(times):.0f} | {max(times):.0f} |"
        )


if __name__ == "__main__":
    main()
