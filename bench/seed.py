"""Seed a benchmark database at scale (issue 6; issue 8 extends it to the national dataset).

    make bench-data                      # or: bench/seed.py --households 200000 ...

Builds, with COPY, a fictional country of organisations, neighbourhoods, people, households,
home visits, signals, consents, referrals and joint cases, spread over three years, then counts
the dashboards' tallies once (as Celery beat would) and VACUUM ANALYZEs. It prints what it does
and how long each step took.

Only into a database whose name contains "bench" (default inclusie_bench): it drops and makes
that database again unless --keep, and refuses any other. Foreign keys and triggers are switched
off while copying (session_replication_role = replica, so the role must be a superuser): the
rows are made consistent here, and checking ten million references one by one would take longer
than the copying.

The default sizes are issue 6's: 200,000 households, 1,000,000 signals, 200,000 referrals, with
300 organisations and 5,000 people (issue 8's). Steps live in STEPS, in order; issue 8 adds its
own (the access log, household history) as further methods of Seeder. The same --seed gives the
same data."""

import argparse
import os
import random
import sys
import time
from bisect import bisect
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusie.settings")

import django  # noqa: E402
import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from cases.workdays import add_working_days  # noqa: E402

TODAY = date.today()
DAYS = 3 * 365  # how far back the data goes
PASSWORD = "bench-" + "wachtwoord-" * 2  # noqa: S105 - fictional accounts in a bench database

# Category codes as the data migration seeds them, with how often a home visit finds them.
CATEGORIES = [
    ("eenzaamheid", 18), ("huurachterstand", 16), ("vervuiling", 7), ("inrichting", 5),
    ("zorgbehoefte", 10), ("psychische-klachten", 8), ("overlast", 12), ("taal-digitaal", 6),
    ("technisch-onderhoud", 14), ("anders", 4),
]  # fmt: skip
# Which kind of partner a category goes to when it is referred.
PARTNER_KIND = {
    "eenzaamheid": "welzijn", "overlast": "welzijn", "taal-digitaal": "welzijn",
    "inrichting": "gemeente", "huurachterstand": "gemeente", "zorgbehoefte": "zorg",
    "psychische-klachten": "zorg", "vervuiling": "zorg", "technisch-onderhoud": "welzijn",
    "anders": "welzijn",
}  # fmt: skip
STREETS = ["Lindelaan", "Eikenweg", "Kastanjeplein", "Berkenhof", "Wilgenstraat", "Iepenpad"]


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


class Seeder:
    STEPS = (
        "organisations",
        "neighbourhoods",
        "people",
        "households",
        "visits_and_signals",
        "agreements",
        "referrals",
        "joint_cases",
        "access_log",
    )

    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)  # noqa: S311 - fictional data
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.next_id = {}

    # --- helpers ----------------------------------------------------------------------------

    def ids(self, table: str, count: int) -> range:
        """The next `count` ids of a table; the sequence is moved on at the end."""
        if table not in self.next_id:
            with connection.cursor() as cursor:
                cursor.execute(
                    sql.SQL("SELECT COALESCE(MAX(id), 0) + 1 FROM {}").format(sql.Identifier(table))
                )
                self.next_id[table] = cursor.fetchone()[0]
        start = self.next_id[table]
        self.next_id[table] = start + count
        return range(start, start + count)

    def copy(self, table: str, columns: list[str], rows) -> int:
        count = 0
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def moment(self, day: date, hour_from=8, hour_to=17) -> datetime:
        """A moment in working hours that day, and never later than an hour ago."""
        minutes = self.rng.randrange(hour_from * 60, hour_to * 60)
        local = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)
        latest = datetime.now(UTC) - timedelta(hours=1)
        return min(local.replace(tzinfo=self.tz).astimezone(UTC), latest)

    def weighted(self, choices, weights):
        cumulative = list(accumulate(weights))
        return lambda: choices[bisect(cumulative, self.rng.random() * cumulative[-1])]

    # --- steps --------------------------------------------------------------------------------

    def organisations(self):
        """100 corporations of very different sizes, and in every municipality a municipality,
        welfare and care organisations: 300 in all."""
        a = self.args
        self.municipalities = [f"Benchstad {m + 1}" for m in range(a.municipalities)]
        rows, self.corporations, self.partners = [], [], {}
        org_ids = iter(self.ids("partners_organisation", 10_000))
        now = datetime.now(UTC)
        for number in range(a.corporations):
            pk = next(org_ids)
            rows.append((pk, f"Woonstichting Bench {number + 1}", "corporatie", now))
            self.corporations.append(pk)
        for m, town in enumerate(self.municipalities):
            for kind, count in (("gemeente", 1), ("welzijn", a.welfare), ("zorg", a.care)):
                for n in range(count):
                    pk = next(org_ids)
                    suffix = f" {n + 1}" if count > 1 else ""
                    rows.append((pk, f"{kind.capitalize()} {town}{suffix}", kind, now))
                    self.partners.setdefault((m, kind), []).append(pk)
        self.copy("partners_organisation", ["id", "name", "kind", "created_at"], rows)
        # Sizes: the largest corporation is about a fifth of all households (Zipf-like).
        weights = [1 / (rank + 1) for rank in range(a.corporations)]
        total = sum(weights)
        self.sizes = [max(1, round(a.households * w / total)) for w in weights]
        self.sizes[0] = max(1, self.sizes[0] + a.households - sum(self.sizes))
        return len(rows)

    def neighbourhoods(self):
        """Per municipality eight districts (wijken) of five neighbourhoods (buurten)."""
        rows, self.buurten = [], {}
        ids = iter(self.ids("partners_neighbourhood", 100_000))
        for m, town in enumerate(self.municipalities):
            code = 9800 + m
            for w in range(8):
                wijk = next(ids)
                rows.append((wijk, f"Wijk {w + 1}", "wijk", f"WK{code}{w:02d}", town, None))
                for b in range(5):
                    buurt = next(ids)
                    name = f"Buurt {w + 1}.{b + 1}"
                    rows.append((buurt, name, "buurt", f"BU{code}{w:02d}{b:02d}", town, wijk))
                    self.buurten.setdefault(m, []).append(buurt)
        columns = ["id", "name", "kind", "cbs_code", "municipality", "parent_id"]
        return self.copy("partners_neighbourhood", columns, rows)

    def people(self):
        """A manager, an administrator and workers in every organisation: 5,000 people."""
        a = self.args
        password = make_password(PASSWORD)
        organisations = self.corporations + [pk for pks in self.partners.values() for pk in pks]
        corporation_share = sum(self.sizes)
        users, memberships = [], []
        self.workers, self.managers = {}, {}
        user_ids = iter(self.ids("partners_user", a.people + 1000))
        membership_ids = iter(self.ids("partners_membership", a.people + 1000))
        now = datetime.now(UTC)
        budget = a.people - 2 * len(organisations)
        for index, organisation in enumerate(organisations):
            if index < len(self.corporations):
                share = self.sizes[index] / corporation_share * budget * 0.6
            else:
                share = budget * 0.4 / (len(organisations) - len(self.corporations))
            staff = (("manager", 1), ("beheerder", 1), ("medewerker", max(2, round(share))))
            for role, count in staff:
                for n in range(count):
                    user = next(user_ids)
                    users.append((user, f"bench{user}@bench.example", f"Bench Persoon {user}"))
                    # A partner's first worker is its intake: new referrals reach them.
                    intake = role == "medewerker" and n == 0 and index >= len(self.corporations)
                    memberships.append(
                        (next(membership_ids), user, organisation, role, now, intake)
                    )
                    bucket = self.managers if role == "manager" else self.workers
                    if role != "beheerder":
                        bucket.setdefault(organisation, []).append(user)
        self.copy(
            "partners_user",
            ["id", "email", "name", "password", "is_active", "is_staff", "is_superuser",
             "date_joined"],
            ((pk, email, name, password, True, False, False, now) for pk, email, name in users),
        )  # fmt: skip
        self.copy(
            "partners_membership",
            ["id", "user_id", "organisation_id", "role", "started_at", "receives_referrals"],
            memberships,
        )
        return len(users)

    def households(self):
        """Each corporation in a municipality of its own (the largest in three), spread over its
        neighbourhoods; one main tenant each."""
        self.homes = []  # (household id, corporation, municipality index, neighbourhood)
        self.corporation_towns = {}
        rows = []
        ids = iter(self.ids("cases_household", sum(self.sizes)))
        now = datetime.now(UTC)
        for index, (corporation, size) in enumerate(
            zip(self.corporations, self.sizes, strict=True)
        ):
            towns = [(index + k) % len(self.municipalities) for k in range(3 if index < 3 else 1)]
            self.corporation_towns[corporation] = towns
            areas = [area for town in towns for area in self.buurten[town]]
            for number in range(size):
                pk = next(ids)
                town = towns[number % len(towns)]
                area = (
                    self.rng.choice(self.buurten[town])
                    if len(towns) > 1
                    else areas[number % len(areas)]
                )
                created = now - timedelta(days=self.rng.randint(DAYS, DAYS + 2000))
                rows.append(
                    (pk, corporation, f"B{corporation}-{number:06d}", STREETS[number % 6],
                     number % 400 + 1, "", f"{9000 + town} AB", self.municipalities[town], area,
                     "", "", created, created)
                )  # fmt: skip
                self.homes.append((pk, corporation, town, area))
        self.copy(
            "cases_household",
            ["id", "corporation_id", "tenancy_reference", "street", "house_number",
             "house_number_addition", "postcode", "town", "neighbourhood_id", "phone", "email",
             "created_at", "updated_at"],
            rows,
        )  # fmt: skip
        self.copy(
            "cases_resident",
            ["household_id", "name", "birth_year", "is_main_tenant"],
            ((pk, f"Bewoner {pk}", 1940 + pk % 60, True) for pk, *_rest in self.homes),
        )
        return len(rows)

    def visits_and_signals(self):
        """Home visits over three years; a visit with signals has one to three of them. Older
        signals are mostly resolved or closed; one in eight of the last months' is still open."""
        a = self.args
        rng = self.rng
        with connection.cursor() as cursor:
            cursor.execute("SELECT code, id FROM cases_signalcategory")
            categories = dict(cursor.fetchall())
        codes, weights = zip(*CATEGORIES, strict=True)
        category = self.weighted(codes, weights)
        severity = self.weighted(("laag", "midden", "hoog", "acuut"), (40, 40, 15, 5))
        visit_ids = iter(self.ids("cases_homevisit", 4 * a.signals))
        signal_ids = iter(self.ids("cases_signal", a.signals))
        self.signals_of = {}  # household -> [(signal id, category code, created_at)]
        visits, signals = [], []
        while len(signals) < a.signals:
            home, corporation, _town, _area = rng.choice(self.homes)
            day = TODAY - timedelta(days=int(DAYS * rng.random() ** 1.3))
            worker = rng.choice(self.workers[corporation])
            visit = next(visit_ids)
            at = self.moment(day)
            outcome = rng.choices(("signalen", "geen_zorgen", "niet_thuis"), (55, 35, 10))[0]
            visits.append((visit, home, day, "regulier", outcome, "", worker, corporation, at))
            if outcome != "signalen":
                continue
            for code in {category() for _n in range(rng.choice((1, 1, 2, 2, 3)))}:
                pk = next(signal_ids)
                age = (TODAY - day).days
                if age < 60:
                    status = rng.choices(("open", "in_behandeling", "doorverwezen", "opgelost"),
                                         (50, 25, 10, 15))[0]  # fmt: skip
                else:
                    status = rng.choices(("opgelost", "gesloten", "open", "in_behandeling"),
                                         (70, 20, 6, 4))[0]  # fmt: skip
                changed = at + timedelta(days=rng.randint(0, min(age, 90)))
                signals.append(
                    (pk, home, visit, categories[code], severity(), "Gezien bij huisbezoek",
                     status, "Opgelost" if status == "gesloten" else "", worker, corporation,
                     at, changed)
                )  # fmt: skip
                self.signals_of.setdefault(home, []).append((pk, code, at))
                if len(signals) % 250_000 == 0:
                    log(f"  {len(signals):,} signals made")
                if len(signals) >= a.signals:
                    break
        self.copy(
            "cases_homevisit",
            ["id", "household_id", "visited_on", "kind", "outcome", "notes", "created_by_id",
             "organisation_id", "created_at"],
            visits,
        )  # fmt: skip
        log(f"  {len(visits):,} home visits copied")
        self.copy(
            "cases_signal",
            ["id", "household_id", "visit_id", "category_id", "severity", "description",
             "status", "closed_reason", "created_by_id", "organisation_id", "created_at",
             "status_changed_at"],
            signals,
        )  # fmt: skip
        self.categories = categories
        return len(signals)

    def agreements(self):
        """Every corporation with the municipality, welfare and care organisations of its
        towns, for three years, covering the categories that kind of partner takes."""
        rows, links = [], []
        self.agreement_of = {}
        ids = iter(self.ids("cases_agreement", 100_000))
        creator = next(iter(self.workers[self.corporations[0]]))
        valid_from = TODAY - timedelta(days=DAYS + 30)
        now = datetime.now(UTC)
        days = {"gemeente": 10, "welzijn": 5, "zorg": 3}
        for corporation in self.corporations:
            for town in self.corporation_towns[corporation]:
                for kind in ("gemeente", "welzijn", "zorg"):
                    for partner in self.partners[(town, kind)]:
                        pk = next(ids)
                        rows.append(
                            (pk, corporation, partner, days[kind], valid_from, creator, now)
                        )
                        self.agreement_of[(corporation, partner)] = (pk, days[kind])
                        for code, kind_of in PARTNER_KIND.items():
                            if kind_of == kind:
                                links.append((pk, self.categories[code]))
        self.copy(
            "cases_agreement",
            ["id", "first_id", "second_id", "response_days", "valid_from", "created_by_id",
             "created_at"],
            rows,
        )  # fmt: skip
        self.copy("cases_agreement_categories", ["agreement_id", "signalcategory_id"], links)
        return len(rows)

    def referrals(self):
        """Referrals of one or two signals of a household to the partner of their kind, on the
        household's consent (one in twenty on the vroegsignalering route); what became of them
        depends on their age."""
        a = self.args
        rng = self.rng
        referral_ids = iter(self.ids("cases_referral", a.referrals))
        consent_ids = iter(self.ids("cases_consent", a.referrals))
        referrals, links, consents, consent_links = [], [], [], []
        self.accepted = []  # (referral, household, corporation, partner, sent_at)
        households = [h for h in self.homes if h[0] in self.signals_of]
        deadline_of = {}
        while len(referrals) < a.referrals:
            home, corporation, town, _area = rng.choice(households)
            pk_signal, code, created = rng.choice(self.signals_of[home])
            kind = PARTNER_KIND[code]
            partner = rng.choice(self.partners[(town, kind)])
            agreement, days = self.agreement_of[(corporation, partner)]
            sent_at = created + timedelta(hours=rng.randint(1, 24 * 20))
            sent_on = sent_at.astimezone(self.tz).date()
            if sent_on > TODAY:
                continue
            key = (sent_on, days)
            if key not in deadline_of:
                deadline_of[key] = add_working_days(sent_on, days)
            deadline = deadline_of[key]
            age = (TODAY - sent_on).days
            worker = rng.choice(self.workers[corporation])
            receiver = rng.choice(self.workers[partner])
            if age < 10:
                status = rng.choices(("verzonden", "geaccepteerd"), (60, 40))[0]
            else:
                status = rng.choices(
                    ("geaccepteerd", "afgerond", "afgewezen", "ingetrokken", "verzonden"),
                    (12, 62, 14, 6, 6) if age < 120 else (1, 78, 15, 6, 0),
                )[0]
            responded = None
            if status in ("geaccepteerd", "afgerond", "afgewezen") or (
                status == "ingetrokken" and rng.random() < 0.5
            ):
                responded = sent_at + timedelta(
                    hours=rng.choice((2, 20, 26, 44, 50, 70, 96, 120, 170, 240, 400))
                )
                if responded.astimezone(self.tz).date() > TODAY:
                    responded = sent_at + timedelta(hours=1)
            closed = None
            if status in ("afgerond", "afgewezen", "ingetrokken"):
                closed = (responded or sent_at) + timedelta(days=rng.randint(0, 60))
                if status == "afgewezen":
                    closed = responded
                # Nothing in the future; what would be, happened some days ago instead.
                recently = datetime.now(UTC) - timedelta(hours=rng.randint(24, 24 * 30))
                closed = max(min(closed, recently), responded or sent_at)
            pk = next(referral_ids)
            early = kind == "gemeente" and code == "huurachterstand" and rng.random() < 0.25
            consent = None
            if not early:
                consent = next(consent_ids)
                given = sent_on - timedelta(days=rng.randint(0, 5))
                consents.append(
                    (consent, home, partner, "Ondersteuning bij de gemelde zorgen", "mondeling",
                     given, worker, corporation, sent_at)
                )  # fmt: skip
                consent_links.append((consent, self.categories[code]))
            referrals.append(
                (pk, home, corporation, partner, "", agreement,
                 "vroegsignalering" if early else "toestemming", consent, "{}", status,
                 deadline, worker, sent_at,
                 receiver if responded else None, responded,
                 receiver if responded else None,
                 rng.choice(("geen_capaciteit", "al_hulp", "niet_ons_aanbod", "anders"))
                 if status == "afgewezen" else "",
                 "Bench: afgewezen" if status == "afgewezen" else "",
                 rng.choice(("geholpen", "geholpen", "hulp_geweigerd", "niet_bereikt",
                             "doorverwezen")) if status == "afgerond" else "",
                 "", worker if status == "ingetrokken" else (receiver if closed else None),
                 closed, 2 if responded else 1)
            )  # fmt: skip
            links.append((pk, pk_signal))
            if status in ("geaccepteerd", "afgerond"):
                self.accepted.append((pk, home, corporation, partner, sent_at, receiver))
        self.copy(
            "cases_consent",
            ["id", "household_id", "receiving_organisation_id", "purpose", "given_how",
             "given_on", "recorded_by_id", "recorded_for_id", "recorded_at"],
            consents,
        )  # fmt: skip
        self.copy("cases_consent_categories", ["consent_id", "signalcategory_id"], consent_links)
        self.copy(
            "cases_referral",
            ["id", "household_id", "from_organisation_id", "to_organisation_id", "message",
             "agreement_id", "legal_basis", "consent_id", "preconditions", "status", "deadline",
             "sent_by_id", "sent_at", "assigned_to_id", "responded_at", "responded_by_id",
             "decline_category", "decline_reason", "outcome", "outcome_note", "closed_by_id",
             "closed_at", "version"],
            referrals,
        )  # fmt: skip
        self.copy("cases_referral_signals", ["referral_id", "signal_id"], links)
        return len(referrals)

    def joint_cases(self):
        """Joint cases for households a partner accepted a referral for, coordinated by that
        partner; older ones closed."""
        rng = self.rng
        case_ids = iter(self.ids("cases_jointcase", self.args.joint_cases))
        cases, participants, seen = [], [], set()
        for referral, home, corporation, partner, sent_at, receiver in rng.sample(
            self.accepted, min(len(self.accepted), self.args.joint_cases * 2)
        ):
            if home in seen or len(cases) >= self.args.joint_cases:
                continue
            seen.add(home)
            pk = next(case_ids)
            opened = sent_at + timedelta(days=rng.randint(3, 20))
            opened = min(opened, datetime.now(UTC) - timedelta(hours=1))
            closed = opened + timedelta(days=rng.randint(20, 200))
            is_closed = closed < datetime.now(UTC) and rng.random() < 0.8
            cases.append(
                (pk, home, partner, receiver, "gesloten" if is_closed else "open",
                 "Afgesloten: doelen bereikt" if is_closed else "", receiver, opened,
                 receiver if is_closed else None, closed if is_closed else None)
            )  # fmt: skip
            participants.append((pk, corporation, None, opened))
            participants.append((pk, partner, referral, opened))
        self.copy(
            "cases_jointcase",
            ["id", "household_id", "coordinator_organisation_id", "coordinator_id", "status",
             "closing_summary", "opened_by_id", "opened_at", "closed_by_id", "closed_at"],
            cases,
        )  # fmt: skip
        self.copy(
            "cases_caseparticipant",
            ["case_id", "organisation_id", "via_referral_id", "joined_at"],
            participants,
        )
        return len(cases)

    def access_log(self):
        """The access log the work above would have written, in SQL (no row leaves the server):
        per home visit the household's page viewed and the visit created; per referral the
        sender's and, once it was answered, the receiver's read; then household lists (one
        "search" row per household shown, ADR 0006) by the visiting worker, until there are
        --access-log rows in all."""
        target = self.args.access_log
        columns = (
            "at, user_id, role, organisation_id, household_id, household_corporation_id, "
            "action, object_type, object_id, legal_basis, origin, detail"
        )
        steps = (
            (
                "home visits viewed",
                """
                SELECT v.created_at - interval '4 minutes', v.created_by_id, 'medewerker',
                       v.organisation_id, v.household_id, v.organisation_id, 'view',
                       'cases.household', v.household_id::text, 'eigen_huurder',
                       '10.0.' || mod(v.id, 250), '{}'
                FROM cases_homevisit v""",
            ),
            (
                "home visits created",
                """
                SELECT v.created_at, v.created_by_id, 'medewerker', v.organisation_id,
                       v.household_id, v.organisation_id, 'create', 'cases.homevisit',
                       v.id::text, 'eigen_huurder', '10.0.' || mod(v.id, 250), '{}'
                FROM cases_homevisit v""",
            ),
            (
                "referrals sent",
                """
                SELECT r.sent_at, r.sent_by_id, 'medewerker', r.from_organisation_id,
                       r.household_id, r.from_organisation_id, 'create', 'cases.referral',
                       r.id::text, 'eigen_huurder', '10.1.0.' || mod(r.id, 250), '{}'
                FROM cases_referral r""",
            ),
            (
                "referrals read by their partner",
                """
                SELECT r.responded_at - interval '10 minutes', r.responded_by_id, 'medewerker',
                       r.to_organisation_id, r.household_id, r.from_organisation_id, 'view',
                       'cases.referral', r.id::text, r.legal_basis, '10.2.0.' || mod(r.id, 250),
                       '{}'
                FROM cases_referral r WHERE r.responded_by_id IS NOT NULL""",
            ),
        )
        written = 0
        with connection.cursor() as cursor:
            for name, select in steps:
                cursor.execute(
                    f"INSERT INTO cases_accesslog ({columns}) {select} LIMIT %s",  # noqa: S608
                    [max(0, target - written)],
                )
                written += cursor.rowcount
                log(f"  {name}: {cursor.rowcount:,}")
            # The rest: list pages, each row one household shown, the hour before a visit.
            cursor.execute(
                f"""INSERT INTO cases_accesslog ({columns})
                SELECT v.created_at - interval '1 hour' + (s.n * interval '1 second'),
                       v.created_by_id, 'medewerker', v.organisation_id, v.household_id,
                       v.organisation_id, 'search', 'cases.household', v.household_id::text,
                       'eigen_huurder', '10.0.' || mod(v.id, 250), '{{"lijst": "huishoudens"}}'
                FROM cases_homevisit v CROSS JOIN generate_series(1, 3) AS s(n)
                ORDER BY v.id DESC LIMIT %s""",  # noqa: S608
                [max(0, target - written)],
            )
            written += cursor.rowcount
            log(f"  household lists: {cursor.rowcount:,}")
        return written

    # --- the whole ----------------------------------------------------------------------------

    def run(self):
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        for step in self.STEPS:
            started = time.monotonic()
            log(f"{step} ...")
            count = getattr(self, step)()
            log(f"{step}: {count:,} rows in {time.monotonic() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            for table in self.next_id:
                cursor.execute(
                    sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), {})").format(
                        sql.Literal(table), sql.Literal(self.next_id[table])
                    )
                )


def recreate(database: str) -> None:
    """Drop and make the benchmark database again (connecting to the server's own db)."""
    params = settings.DATABASES["default"]
    dsn = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"],
        "dbname": "postgres",
    }
    with psycopg.connect(**dsn, autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database)))
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--referrals", type=int, default=200_000)
    parser.add_argument("--joint-cases", type=int, default=20_000)
    parser.add_argument("--access-log", type=int, default=3_000_000)
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--corporations", type=int, default=100)
    parser.add_argument("--municipalities", type=int, default=40)
    parser.add_argument("--welfare", type=int, default=3, help="welfare organisations per town")
    parser.add_argument("--care", type=int, default=1, help="care organisations per town")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--keep", action="store_true", help="add to the database instead of making it anew"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    database = settings.DATABASES["default"]["NAME"]
    if "bench" not in database:
        raise SystemExit(f"Refusing to seed {database!r}: its name must contain 'bench'.")
    started = time.monotonic()
    if not args.keep:
        log(f"dropping and creating {database}")
        connection.close()
        recreate(database)
    call_command("migrate", verbosity=0)
    log("migrated")
    Seeder(args).run()
    log("VACUUM ANALYZE ...")
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    from cases.services.dashboards import dashboard_refresh

    refresh = dashboard_refresh()
    log(f"dashboard tallies counted: {refresh.rows:,} rows in {refresh.seconds:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_dashboardtally")
    log(f"done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
