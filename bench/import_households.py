"""Benchmark: import households from one large CSV file (issue 3, item 6: 50,000 rows must import).

Generates a CSV export with fictional data, then times the two steps a person waits for:
checking the upload (parse + validate + compare with the database) and the import itself (one
transaction, as the Celery task runs it). Then it imports the same file again with 10% of the rows
changed, which is the monthly routine. Prints seconds, rows per second and queries per step.

It writes households and access-log rows, and the access log cannot be deleted (append-only), so
run it on a scratch PostgreSQL database:

    createdb -h 127.0.0.1 -U postgres inclusie_bench_import
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/inclusie_bench_import
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/import_households.py            # --rows 50000
    dropdb -h 127.0.0.1 -U postgres inclusie_bench_import
"""

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusie.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import AccessLog, Household, HouseholdImport  # noqa: E402
from cases.services.imports import household_import_create, household_import_run  # noqa: E402
from cases.services.imports.parsing import parse  # noqa: E402
from partners.models import Membership, Neighbourhood, Organisation, User  # noqa: E402

HEADER = (
    "huurcontract;straat;huisnummer;toevoeging;postcode;plaats;buurtcode;complexnummer;"
    "complexnaam;telefoon;email;hoofdhuurder;geboortejaar_hoofdhuurder"
)
STREETS = [
    "Lindelaan", "Eikenweg", "Kastanjeplein", "Berkenhof", "Wilgenstraat", "Populierendreef",
    "Esdoornkade", "Beukenring", "Iepenpad", "Elzenhage", "Façadestraat", "Vlinderhof",
]  # fmt: skip
FIRST = ["Anouk", "Bram", "Chantal", "Daan", "Eline", "Fatma", "Gijs", "Hanna", "Zoë", "Mehmet"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Yılmaz", "el Amrani", "Müller", "Bos"]
LETTERS = "ABCDEFGHJKLMNPRTVWXZ"


def setup() -> tuple[Membership, list[str]]:
    corporation, _ = Organisation.objects.get_or_create(
        name="Woonstichting Benchmark", defaults={"kind": Organisation.Kind.CORPORATIE}
    )
    user, _ = User.objects.get_or_create(
        email="beheerder@benchmark.example", defaults={"name": "Benchmark Beheerder"}
    )
    membership, _ = Membership.objects.get_or_create(
        user=user,
        organisation=corporation,
        ended_at=None,
        defaults={"role": Membership.Role.BEHEERDER},
    )
    membership.origin = "127.0.0.1"
    codes = []
    for district in range(1, 6):
        wijk, _ = Neighbourhood.objects.get_or_create(
            cbs_code=f"WK9998{district:02d}",
            defaults={
                "name": f"Benchwijk {district}",
                "kind": Neighbourhood.Kind.WIJK,
                "municipality": "Benchdorp",
            },
        )
        for buurt in range(1, 7):
            code = f"BU9998{district:02d}{buurt:02d}"
            Neighbourhood.objects.get_or_create(
                cbs_code=code,
                defaults={
                    "name": f"Benchbuurt {district}.{buurt}",
                    "kind": Neighbourhood.Kind.BUURT,
                    "municipality": "Benchdorp",
                    "parent": wijk,
                },
            )
            codes.append(code)
    return membership, codes


def generate(rows: int, run: str, codes: list[str], changed: float = 0.0) -> bytes:
    """A fictional export; with `changed`, that share of rows gets another phone number."""
    rng = random.Random(42)  # noqa: S311 - fictional data, not secrets
    change = random.Random(7)  # noqa: S311
    lines = [HEADER]
    for i in range(rows):
        complex_no = i // 40
        code = codes[complex_no % len(codes)]
        postcode = f"{1000 + complex_no % 9000} {rng.choice(LETTERS)}{rng.choice(LETTERS)}"
        phone = f"06 {rng.randrange(10_000_000, 99_999_999)}"
        if changed and change.random() < changed:
            phone = f"010 {1_000_000 + i}"
        email = f"huurder{i}@voorbeeld.example" if i % 2 else ""
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        lines.append(
            f"{run}-{i:06d};{STREETS[complex_no % len(STREETS)]};{i % 40 + 1};"
            f"{'A' if i % 7 == 0 else ''};{postcode};Benchdorp;{code};{run}-C{complex_no};"
            f"Complex {complex_no};{phone};{email};{name};{1930 + i % 75}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def timed(function):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - start
    return result, seconds, len(queries.captured_queries)


def step(actor, content: bytes, label: str, results: list) -> HouseholdImport:
    parsed, parse_seconds, _ = timed(lambda: parse(content))
    household_import, check_seconds, check_queries = timed(
        lambda: household_import_create(actor=actor, file_name=f"{label}.csv", parsed=parsed)
    )
    if household_import.status != HouseholdImport.Status.VALIDATED:
        raise SystemExit(f"{label}: file invalid: {household_import.errors[:3]}")
    HouseholdImport.objects.filter(pk=household_import.pk).update(
        started_by=actor, origin=actor.origin, queued_at=timezone.now()
    )
    _, run_seconds, run_queries = timed(lambda: household_import_run(import_id=household_import.pk))
    household_import.refresh_from_db()
    if household_import.status != HouseholdImport.Status.DONE:
        raise SystemExit(f"{label}: import {household_import.status}")
    rows = household_import.total_rows
    check = parse_seconds + check_seconds
    results.append((f"{label}: check upload", rows, check, check_queries))
    results.append((f"{label}: import", rows, run_seconds, run_queries))
    print(
        f"{label}: new {household_import.new_rows}, updated {household_import.updated_rows}, "
        f"unchanged {household_import.unchanged_rows}"
    )
    return household_import


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument(
        "--force", action="store_true", help="run on a database whose name lacks 'bench'"
    )
    args = parser.parse_args()
    database = connection.settings_dict["NAME"]
    if "bench" not in str(database) and not args.force:
        raise SystemExit(f"Refusing to write benchmark data into {database!r}; see the docstring.")

    actor, codes = setup()
    run = f"B{int(time.time())}"
    first = generate(args.rows, run, codes)
    again = generate(args.rows, run, codes, changed=0.10)
    print(
        f"{connection.vendor} {database}: {args.rows:,} rows, {len(first) / 1e6:.1f} MB, "
        f"{Household.objects.count():,} households before"
    )
    results = []
    step(actor, first, "first import", results)
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a large import; the monthly re-import finds the
        # statistics fresh, and without them the planner misjudges the lookup by reference.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_household, cases_resident")
    step(actor, again, "re-import, 10% changed", results)

    print(f"\n{'step':<38} {'rows':>8} {'seconds':>8} {'rows/s':>8} {'queries':>8}")
    for label, rows, seconds, queries in results:
        print(f"{label:<38} {rows:>8,} {seconds:>8.1f} {rows / seconds:>8,.0f} {queries:>8}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process: {peak:.0f} MB")
    print(f"access-log rows now: {AccessLog.objects.count():,}")


if __name__ == "__main__":
    main()
