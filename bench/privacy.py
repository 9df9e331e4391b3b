"""Benchmark: the access-log viewer on millions of rows, and the AVG export of a household with
much data (issue 7: the viewer must stay fast on a big log; the export takes under a minute).

Fills a scratch database with --rows access-log rows (SQL generate_series: 5,000 households of
one corporation, 93% of the rows by its own people, 5% by a welfare organisation about them,
2% by another corporation) and one household with a long history. Then times, through the
selectors the pages use: the viewer's first page, filtered pages and a page deep in the log,
for the corporation's privacy officer and for welfare's; and the overview, the printable
document and the JSON file of the big household. The access log cannot be emptied, so:

    createdb -h 127.0.0.1 -U postgres inclusie_bench_privacy
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/inclusie_bench_privacy
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/privacy.py              # --rows 2000000
    dropdb -h 127.0.0.1 -U postgres inclusie_bench_privacy
"""

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusie.settings")

import django  # noqa: E402

django.setup()

from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from cases.models import (  # noqa: E402
    AccessLog,
    HomeVisit,
    Household,
    HouseholdEvent,
    Resident,
    Signal,
    SignalCategory,
)
from cases.selectors import avg as selectors_avg  # noqa: E402
from cases.selectors.privacy import AccessLogFilters, access_log_page  # noqa: E402
from partners.models import Membership, Neighbourhood, Organisation, User  # noqa: E402

HOUSEHOLDS = 5000


def member(organisation, email, role):
    user, _ = User.objects.get_or_create(email=email, defaults={"name": email.split("@")[0]})
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, ended_at=None, defaults={"role": role}
    )
    return membership


def setup(rows: int):
    corporation, _ = Organisation.objects.get_or_create(
        name="Woonstichting Bench", defaults={"kind": "corporatie"}
    )
    welfare, _ = Organisation.objects.get_or_create(
        name="Welzijn Bench", defaults={"kind": "welzijn"}
    )
    other, _ = Organisation.objects.get_or_create(
        name="Woonbron Bench", defaults={"kind": "corporatie"}
    )
    area, _ = Neighbourhood.objects.get_or_create(
        cbs_code="WK999901", defaults={"name": "Benchwijk", "kind": "wijk", "municipality": "B"}
    )
    workers = [member(corporation, f"w{n}@bench.example", "medewerker") for n in range(20)]
    partner = member(welfare, "welzijn@bench.example", "medewerker")
    outsider = member(other, "ander@bench.example", "medewerker")
    officers = {
        "corporation": member(corporation, "privacy@bench.example", "privacyfunctionaris"),
        "welfare": member(welfare, "privacy-welzijn@bench.example", "privacyfunctionaris"),
    }
    if not Household.objects.filter(corporation=corporation).exists():
        Household.objects.bulk_create(
            Household(
                corporation=corporation,
                tenancy_reference=f"B-{n:06d}",
                street="Benchstraat",
                house_number=n + 1,
                postcode="9901 BB",
                town="Bench",
                neighbourhood=area,
            )
            for n in range(HOUSEHOLDS)
        )
    first = Household.objects.filter(corporation=corporation).order_by("pk").first()
    if AccessLog.objects.count() < rows:
        started = time.perf_counter()
        ids = [w.user_id for w in workers]
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO cases_accesslog (at, user_id, role, organisation_id, household_id,
                    household_corporation_id, action, object_type, object_id, legal_basis, origin,
                    detail)
                SELECT now() - (n * interval '47 seconds'),
                    CASE WHEN n %% 100 < 93 THEN (%s::bigint[])[1 + n %% 20]
                         WHEN n %% 100 < 98 THEN %s ELSE %s END,
                    'medewerker',
                    CASE WHEN n %% 100 < 93 THEN %s WHEN n %% 100 < 98 THEN %s ELSE %s END,
                    CASE WHEN n %% 100 < 98 THEN %s + (n %% %s) ELSE NULL END,
                    CASE WHEN n %% 100 < 98 THEN %s ELSE NULL END,
                    CASE WHEN n %% 1000 = 0 THEN 'export' WHEN n %% 5 = 0 THEN 'search'
                         ELSE 'view' END,
                    'cases.household', '', CASE WHEN n %% 100 < 93 THEN 'eigen_huurder'
                         WHEN n %% 100 < 98 THEN 'toestemming' ELSE 'geen' END,
                    '10.0.0.1', '{}'
                FROM generate_series(1, %s) AS n
                """,
                [
                    ids,
                    partner.user_id,
                    outsider.user_id,
                    corporation.pk,
                    welfare.pk,
                    other.pk,
                    first.pk,
                    HOUSEHOLDS,
                    corporation.pk,
                    rows - AccessLog.objects.count(),
                ],
            )
            cursor.execute("ANALYZE cases_accesslog")
        print(
            f"filled the log to {AccessLog.objects.count():,} rows in "
            f"{time.perf_counter() - started:.0f} s"
        )
    return corporation, officers, workers, first, partner


def big_household(corporation, worker) -> Household:
    """One household with years of history: 2 residents, 400 visits, 2,000 signals, 10,000
    events and 50,000 access-log rows (besides its share of the fill)."""
    household = Household.objects.filter(corporation=corporation).order_by("pk").first()
    if HomeVisit.objects.filter(household=household).exists():
        return household
    Resident.objects.bulk_create(
        [
            Resident(
                household=household, name="Bench Bewoner", birth_year=1950, is_main_tenant=True
            ),
            Resident(household=household, name="Bench Partner", birth_year=1952),
        ]
    )
    now = timezone.now()
    visits = HomeVisit.objects.bulk_create(
        HomeVisit(
            household=household,
            visited_on=(now - timedelta(days=n)).date(),
            kind="regulier",
            outcome="signalen",
            notes="Gesprek over de woning en de buren. " * 3,
            created_by_id=worker.user_id,
            organisation=corporation,
        )
        for n in range(400)
    )
    category = SignalCategory.objects.first()
    Signal.objects.bulk_create(
        Signal(
            household=household,
            visit=visits[n % 400],
            category=category,
            severity="midden",
            description="Zorgen over de administratie en de post",
            status="opgelost" if n % 3 else "open",
            created_by_id=worker.user_id,
            organisation=corporation,
        )
        for n in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cases_accesslog (at, user_id, role, organisation_id, household_id,
                household_corporation_id, action, object_type, object_id, legal_basis, origin,
                detail)
            SELECT now() - (n * interval '11 minutes'), %s, 'medewerker', %s, %s, %s, 'view',
                'cases.household', '', 'eigen_huurder', '10.0.0.2', '{}'
            FROM generate_series(1, 50000) AS n
            """,
            [worker.user_id, corporation.pk, household.pk, corporation.pk],
        )
    HouseholdEvent.objects.bulk_create(
        (
            HouseholdEvent(
                household=household,
                kind="signal_status_changed",
                at=now - timedelta(minutes=n),
                user_id=worker.user_id,
                organisation=corporation,
                data={"from": "open", "to": "opgelost", "reason": "Opgelost met de bewoner"},
            )
            for n in range(10_000)
        ),
        batch_size=2000,
    )
    return household


def timed(label, action):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - started
    print(f"| {label} | {seconds * 1000:,.0f} ms | {len(queries.captured_queries)} |")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2_000_000)
    rows = parser.parse_args().rows
    translation.activate("nl")
    corporation, officers, workers, first, partner = setup(rows)
    people = {"corporation": workers[3].user, "welfare": partner.user}
    household = big_household(corporation, workers[0])
    print(
        f"\naccess log: {AccessLog.objects.count():,} rows; household {household.pk}: "
        f"{AccessLog.objects.filter(household=household).count():,} log rows\n"
    )
    print("| what | time | queries |\n| --- | ---: | ---: |")
    Filters = AccessLogFilters
    for who, officer in officers.items():
        page = timed(
            f"viewer, {who}: first page",
            lambda o=officer: access_log_page(actor=o, filters=Filters(), cursor=None),
        )
        cursor = page.older
        for _ in range(20):
            cursor = access_log_page(actor=officer, filters=Filters(), cursor=cursor).older
        timed(
            f"viewer, {who}: page 22",
            lambda o=officer, c=cursor: access_log_page(actor=o, filters=Filters(), cursor=c),
        )
        for label, filters in [
            ("person", Filters(person=people[who])),
            ("household", Filters(household_query="x", households=[first.pk + 17])),
            ("action export (1 in 1,000)", Filters(action="export")),
            ("basis consent", Filters(legal_basis="toestemming")),
            (
                "one day, a year ago",
                Filters(
                    date_from=timezone.localdate() - timedelta(days=365),
                    date_to=timezone.localdate() - timedelta(days=365),
                ),
            ),
        ]:
            timed(
                f"viewer, {who}: {label}",
                lambda o=officer, f=filters: access_log_page(actor=o, filters=f, cursor=None),
            )
    officer = officers["corporation"]
    timed(
        "AVG overview page (100 rows a section)",
        lambda: render_to_string(
            "cases/avg_overview.html",
            {
                "overview": selectors_avg.avg_overview(actor=officer, pk=household.pk, limit=100),
                "refusals": [],
                "actor": officer,
            },
        ),
    )
    html = timed(
        "AVG printable document (everything)",
        lambda: render_to_string(
            "cases/avg_document.html",
            {
                "overview": selectors_avg.avg_overview(
                    actor=officer, pk=household.pk, export="html"
                ),
                "actor": officer,
            },
        ),
    )
    data = timed(
        "AVG JSON file (everything)",
        lambda: json.dumps(
            selectors_avg.avg_overview(actor=officer, pk=household.pk, export="json").as_data(),
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
        ),
    )
    print(f"\ndocument {len(html) / 1e6:.1f} MB, JSON {len(data) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
