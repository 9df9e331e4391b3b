"""Benchmark: suggestions of helpers for one request (issue 19, item 6; ADR 0034) in a
municipality-scale dataset: 5,000 helpers of one organisation and 20,000 open requests, with
live matches giving the helpers a load. Times cases.selectors.matching.helper_suggestions,
with its queries and its access-log row, for one request over many runs (p50, p95, slowest),
then for many requests once each. One call at a time; no concurrency.

Fictional data only: a town around 52° N 4° E (in the North Sea), invented streets and
postcode areas 9001-9060. It writes access-log rows, which cannot be deleted (append-only),
so run it on a scratch PostgreSQL database:

    createdb -h 127.0.0.1 -U postgres inclusie_bench_matching
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/inclusie_bench_matching DEBUG=false
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/matching.py              # --helpers 5000 --requests 20000 --runs 500
    dropdb -h 127.0.0.1 -U postgres inclusie_bench_matching
"""

import argparse
import math
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusie.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import (  # noqa: E402
    Helper,
    HelpMatch,
    HelpRequest,
    Household,
    Signal,
    SignalCategory,
)
from cases.selectors.matching import helper_suggestions, offset_place  # noqa: E402
from cases.workflow import DayPart, HelpKind, Weekday  # noqa: E402
from partners.models import Membership, Neighbourhood, Organisation, User  # noqa: E402

ORIGIN = (52.0, 4.0)
SIDE_METRES = 12_000  # the town: 12 by 12 km
STREETS = 400
AREAS = 60
REACHES = (300, 500, 1000, 1000, 2000, 5000)


def _place(rng: random.Random) -> tuple[Decimal, Decimal]:
    lat, lon = offset_place(ORIGIN, rng.uniform(0, SIDE_METRES), rng.uniform(0, SIDE_METRES))
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _address(rng: random.Random) -> tuple[str, str, int]:
    street = rng.randrange(STREETS)
    return f"Benchstraat {street}", f"{9001 + street % AREAS} AB", rng.randint(1, 200)


def seed(*, helpers: int, requests: int, rng: random.Random) -> Membership:
    corporation = Organisation.objects.create(
        name=f"Woonstichting Bench {rng.randrange(10**6)}", kind=Organisation.Kind.CORPORATIE
    )
    user = User.objects.create(email=f"bench{corporation.pk}@bench.example", name="Bench Worker")
    worker = Membership.objects.create(
        user=user, organisation=corporation, role=Membership.Role.MEDEWERKER
    )
    neighbourhood = Neighbourhood.objects.create(
        name="Benchwijk",
        kind=Neighbourhood.Kind.BUURT,
        cbs_code=f"BU{corporation.pk:08d}"[:10],
        municipality="Benchdorp",
    )
    category, _ = SignalCategory.objects.get_or_create(
        code="bench", defaults={"name": "Bench", "life_area": "wonen"}
    )
    today = timezone.localdate()
    kinds, days, parts = HelpKind.values, Weekday.values, DayPart.values

    homes = []
    for n in range(requests):
        street, postcode, number = _address(rng)
        lat, lon = _place(rng) if rng.random() < 0.85 else (None, None)
        homes.append(
            Household(
                corporation=corporation,
                tenancy_reference=f"B-{n}",
                street=street,
                house_number=number,
                postcode=postcode,
                town="Benchdorp",
                neighbourhood=neighbourhood,
                latitude=lat,
                longitude=lon,
            )
        )
    Household.objects.bulk_create(homes, batch_size=5000)
    signals = Signal.objects.bulk_create(
        [
            Signal(
                household=h,
                category=category,
                severity="midden",
                description="Bench",
                created_by=user,
                organisation=corporation,
            )
            for h in homes
        ],
        batch_size=5000,
    )
    asks = HelpRequest.objects.bulk_create(
        [
            HelpRequest(
                household=s.household,
                organisation=corporation,
                signal=s,
                kind=rng.choice(kinds),
                description="Bench",
                days=rng.sample(days, rng.randint(0, 3)),
                day_parts=rng.sample(parts, rng.randint(0, 2)),
                needs_vog=rng.random() < 0.2,
                consent_given_on=today,
                consent_how="mondeling",
                consent_recorded_by=user,
                created_by=user,
            )
            for s in signals
        ],
        batch_size=5000,
    )
    people = []
    for n in range(helpers):
        street, postcode, number = _address(rng)
        lat, lon = _place(rng) if rng.random() < 0.8 else (None, None)
        own_street = rng.random() < 0.1
        vog = rng.random() < 0.4
        people.append(
            Helper(
                organisation=corporation,
                first_name=f"Drager{n}",
                email=f"drager{n}@bench.example",
                offers=rng.sample(kinds, rng.randint(1, 3)),
                days=rng.sample(days, rng.randint(1, 5)),
                day_parts=rng.sample(parts, rng.randint(1, 3)),
                reach_metres=None if own_street else rng.choice(REACHES),
                own_street_only=own_street,
                street_address=f"{street} {number}",
                postcode=postcode,
                latitude=lat,
                longitude=lon,
                consent_given_on=today,
                consent_how="mondeling",
                consent_recorded_by=user,
                vog_seen_on=today - timedelta(days=30) if vog else None,
                vog_seen_by=user if vog else None,
                vog_expires_on=(today + timedelta(days=rng.randint(-60, 900))) if vog else None,
                status=rng.choice(("actief",) * 8 + ("gepauzeerd", "aangemeld")),
            )
        )
    Helper.objects.bulk_create(people, batch_size=5000)
    # Live matches: a third of the requests has a helper proposed, accepted or agreed.
    matches, seen = [], set()
    for ask in rng.sample(asks, requests // 3):
        helper = rng.choice(people)
        if (ask.pk, helper.pk) in seen:
            continue
        seen.add((ask.pk, helper.pk))
        status = rng.choice(("voorgesteld", "geaccepteerd", "afgewezen", "beeindigd"))
        matches.append(
            HelpMatch(
                request=ask,
                helper=helper,
                status=status,
                proposed_by=user,
                helper_answered_at=timezone.now() if status != "voorgesteld" else None,
            )  # fmt: skip
        )
    HelpMatch.objects.bulk_create(matches, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return worker


def _figures(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
    return f"{statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--helpers", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(2026)
    began = time.perf_counter()
    worker = seed(helpers=args.helpers, requests=args.requests, rng=rng)
    print(f"Seeded in {time.perf_counter() - began:.0f} s.")
    asks = list(
        HelpRequest.objects.filter(
            organisation=worker.organisation, household__latitude__isnull=False
        )
        .order_by("pk")
        .select_related("household")
    )
    # The request with the most candidates: shopping, no VOG, no time asked.
    one = next(a for a in asks if a.kind == "boodschappen" and not a.needs_vog and not a.days)
    for _warm in range(5):
        helper_suggestions(actor=worker, request=one)
    times = []
    for _run in range(args.runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            found = helper_suggestions(actor=worker, request=one)
            times.append((time.perf_counter() - start) * 1000)
    print(f"date {date.today()}, {Helper.objects.count():,} helpers, "
          f"{HelpRequest.objects.filter(status='open').count():,} open requests, "
          f"{HelpMatch.objects.count():,} matches")  # fmt: skip
    print("| what | runs | queries | suggestions | p50 ms | p95 ms | slowest ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| one request | {args.runs} | {len(queries)} | {len(found)} | {_figures(times)} |")
    times, counts = [], []
    for ask in rng.sample(asks, min(args.runs, len(asks))):
        start = time.perf_counter()
        counts.append(len(helper_suggestions(actor=worker, request=ask)))
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"| many requests, once each | {len(times)} | {len(queries)} | "
        f"{statistics.median(counts):.0f} (median) | {_figures(times)} |"
    )


if __name__ == "__main__":
    main()
