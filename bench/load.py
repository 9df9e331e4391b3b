"""Load the pages people use all day, at national scale (issue 8; the dashboard runs are
issue 6's).

    make bench-data      # once: the national dataset in inclusie_bench (under 10 minutes)
    make bench           # or: bench/load.py --duration 20 --pages household_page,dashboard

Serves the app with gunicorn (sync workers, the production image's server) under production
settings (DEBUG off, PostgreSQL, Redis cache, ATOMIC_REQUESTS, access log), makes a session in
the database for each of 20 people per role, and drives each page with wrk (bench/load.lua):
--connections connections (20), each sending its next request the moment the previous answer
is in. That is 20 people who never read what they get: harder than 20 people at work.

The pages, each its own run of --duration seconds:
- ceiling: /gezond/leeft/, a Django view with the whole middleware stack and no database work:
  what this machine serves at most; every page's throughput is shown as a share of it;
- start: a corporation worker's start page, which reads only the session, the person and the
  membership: the least any logged-in page costs (the floor; it has no goal of its own);
- household_list / household_search: a corporation worker's household list, unfiltered
  (page 1 to 5) and searched by street and number, by resident name, or filtered on open
  signals;
- household_page: one of 200 households of the worker's corporation;
- visit_post: the home-visit form posted with one signal (a real write: visit, signal,
  history, access log; answered with a redirect);
- signal_list: the worker's signals, the open ones and the overdue ones;
- referral_inbox: a welfare, care or municipality worker's inbox (new, mine, overdue, all);
- referral_accept: accepting a referral (POST; each one a fresh referral made for the run);
- dashboard: a manager's dashboard with one of five filter choices, warm (as managers use it
  between two counts of the tallies: each choice opened once before the run).

Then --people-duration seconds (120) of 20 people at work, each reading a page for 1 to 3
seconds before asking the next, going through all the pages in turn.

Before the runs, every page is asked twice through Django's test client, the second time
counting its queries (the test suite guards that these do not grow with the data). Prints
Markdown: the machine, then per page requests per second, p50/p95/p99, the share of the
ceiling and the goal."""

import argparse
import json
import os
import platform
import random
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusie.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import (  # noqa: E402
    Agreement,
    DashboardTally,
    Household,
    Referral,
    Resident,
    SignalCategory,
)
from cases.workdays import add_working_days  # noqa: E402
from cases.workflow import ReferralStatus  # noqa: E402
from inclusie.middleware import LAST_SEEN_KEY, STARTED_KEY  # noqa: E402
from partners.actor import SESSION_KEY  # noqa: E402
from partners.models import Membership, Neighbourhood, Organisation  # noqa: E402
from partners.sessions import SessionStore  # noqa: E402

LUA = ROOT / "bench" / "load.lua"
PEOPLE = 20
# (page, kind of goal, what the page is); the goal's p95 in ms per kind.
PAGES = (
    ("start", "floor", "start page: session, person, membership, no list (the floor)"),
    ("household_list", "list", "household list, pages 1-5"),
    ("household_search", "list", "household search (address, name, open signals)"),
    ("household_page", "detail", "household page"),
    ("visit_post", "form post", "home visit posted, with a signal"),
    ("signal_list", "list", "signal list (mine, open, overdue)"),
    ("referral_inbox", "list", "referral inbox (new, mine, overdue, all)"),
    ("referral_accept", "form post", "referral accepted"),
    ("dashboard", "dashboard", "manager's dashboard (warm)"),
)
GOAL_MS = {"list": 100, "detail": 100, "form post": 100, "dashboard": 150}  # "floor": none
CSRF = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret as the token


# --- who -------------------------------------------------------------------------------------


def largest(queryset, field: str, count: int) -> list[int]:
    return list(
        queryset.values(field).annotate(n=Count("pk")).order_by("-n").values_list(field, flat=True)
    )[:count]


def people_of(organisations: list[int], role: str, count: int) -> list[Membership]:
    """`count` people in `role`, taken in turn from the organisations (largest first)."""
    per_organisation = {
        organisation: list(
            Membership.objects.active()
            .filter(organisation_id=organisation, role=role)
            .select_related("user", "organisation")
            .order_by("pk")[:count]
        )
        for organisation in organisations
    }
    chosen = []
    while len(chosen) < count and any(per_organisation.values()):
        for organisation in organisations:
            if per_organisation[organisation] and len(chosen) < count:
                chosen.append(per_organisation[organisation].pop(0))
    return chosen


def session_for(membership: Membership) -> str:
    now = int(time.time())
    store = SessionStore()
    store["_auth_user_id"] = str(membership.user_id)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = membership.user.get_session_auth_hash()
    store[SESSION_KEY] = membership.pk
    store[STARTED_KEY] = now
    store[LAST_SEEN_KEY] = now
    store.create()
    return store.session_key


# --- what they ask ---------------------------------------------------------------------------


def get(path: str, **query) -> dict:
    return {"method": "GET", "path": path + ("?" + urlencode(query) if query else "")}


def corporation_requests(worker: Membership, rng: random.Random) -> dict[str, list[dict]]:
    homes = list(
        Household.objects.filter(corporation_id=worker.organisation_id)
        .order_by("?")
        .values_list("pk", "street", "house_number")[:200]
    )
    names = list(
        Resident.objects.filter(household_id__in=[pk for pk, *_ in homes[:20]]).values_list(
            "name", flat=True
        )
    )
    categories = list(SignalCategory.objects.values_list("pk", flat=True))
    today = timezone.localdate().isoformat()
    searches = []
    for _pk, street, number in homes[:20]:
        searches.append(get("/huishoudens/", q=f"{street} {number}"))
    searches += [get("/huishoudens/", q=name) for name in names]
    searches += [get("/huishoudens/", open_signals="ja")] * 10
    rng.shuffle(searches)
    visits = []
    for pk, *_ in homes:
        category = rng.choice(categories)
        body = urlencode(
            {
                "visited_on": today,
                "kind": "regulier",
                "outcome": "signalen",
                "notes": "",
                f"c{category}": "on",
                f"c{category}_severity": "midden",
                f"c{category}_description": "Benchmark: gezien bij huisbezoek",
            }
        )
        visits.append({"method": "POST", "path": f"/huishoudens/{pk}/huisbezoek/", "body": body})
    return {
        "start": [get("/")],
        "household_list": [get("/huishoudens/", page=n) if n > 1 else get("/huishoudens/")
                           for n in range(1, 6)],
        "household_search": searches,
        "household_page": [get(f"/huishoudens/{pk}/") for pk, *_ in homes],
        "visit_post": visits,
        "signal_list": [get("/signalen/"), get("/signalen/", lijst="open"),
                        get("/signalen/", lijst="verlopen")],
    }  # fmt: skip


def fresh_referrals(worker: Membership, count: int, rng: random.Random) -> list[int]:
    """`count` referrals sent to the worker's organisation today, for the accept run to accept:
    each a copy of a different referral it received on consent (same household, consent,
    agreement and signals), so no household gathers hundreds of referrals over the runs."""
    models = list(
        Referral.objects.filter(
            to_organisation_id=worker.organisation_id, legal_basis="toestemming"
        )
        .exclude(consent__withdrawn_at__isnull=False)
        .order_by("household_id", "-sent_at")
        .distinct("household_id")
        .prefetch_related("signals")[: 4 * count]
    )
    models = rng.sample(models, min(count, len(models)))
    now = timezone.now()
    deadline = add_working_days(timezone.localdate(), 5)
    created = Referral.objects.bulk_create(
        [
            Referral(
                household_id=model.household_id,
                from_organisation_id=model.from_organisation_id,
                to_organisation_id=model.to_organisation_id,
                agreement_id=model.agreement_id,
                legal_basis=model.legal_basis,
                consent_id=model.consent_id,
                preconditions=model.preconditions,
                status=ReferralStatus.VERZONDEN,
                deadline=deadline,
                sent_by_id=model.sent_by_id,
                sent_at=now,
                version=1,
            )
            for model in (models[n % len(models)] for n in range(count))
        ],
        batch_size=2000,
    )
    Referral.signals.through.objects.bulk_create(
        [
            Referral.signals.through(referral_id=referral.pk, signal_id=signal.pk)
            for n, referral in enumerate(created)
            for signal in models[n % len(models)].signals.all()
        ],
        batch_size=5000,
    )
    return [referral.pk for referral in created]


def forget_unaccepted(pages: dict[str, list[dict]]) -> None:
    """Delete the referrals made for the accept run that it did not reach, so the next run's
    inboxes are not filled with them (the accepted ones stay, as work done)."""
    ids = [
        int(request["path"].split("/")[2])
        for session in pages.get("referral_accept", [])
        for request in session["requests"]
    ]
    unaccepted = Referral.objects.filter(pk__in=ids, status=ReferralStatus.VERZONDEN)
    Referral.signals.through.objects.filter(referral__in=unaccepted).delete()
    unaccepted.delete()


def partner_requests(worker: Membership, accepts: int, rng: random.Random) -> dict[str, list[dict]]:
    return {
        "referral_inbox": [get("/verwijzingen/")]
        + [get("/verwijzingen/", lijst=box) for box in ("mijn", "te-laat", "alle")],
        "referral_accept": [
            {"method": "POST", "path": f"/verwijzingen/{pk}/accepteren/", "body": "version=1"}
            for pk in fresh_referrals(worker, accepts, rng)
        ],
    }


def dashboard_requests(manager: Membership, rng: random.Random) -> dict[str, list[dict]]:
    organisation = manager.organisation_id
    categories = list(SignalCategory.objects.values_list("pk", flat=True))
    areas = DashboardTally.objects.filter(
        organisation_id=organisation, figure=DashboardTally.Figure.AREAS
    ).values_list("neighbourhood_id", flat=True)
    districts = list(
        Neighbourhood.objects.filter(children__in=areas).distinct().values_list("pk", flat=True)
    ) or list(areas)
    partners = sorted(
        {
            pk
            for pair in Agreement.objects.visible_to(manager).values_list("first_id", "second_id")
            for pk in pair
        }
        - {organisation}
    )
    return {
        "dashboard": [
            get("/dashboard/"),
            get("/dashboard/", per="week"),
            get("/dashboard/", category=rng.choice(categories)),
            get("/dashboard/", neighbourhood=rng.choice(districts)),
            get("/dashboard/", partner=rng.choice(partners)),
        ]
    }


# --- running ----------------------------------------------------------------------------------


def lua_value(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {lua_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(lua_value(v) for v in value) + "}"
    return json.dumps(value)


def write_lua(data: dict) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write("return " + lua_value(data) + "\n")
    return handle.name


def fetch(base: str, request: dict, session_key: str | None = None) -> tuple[int, bytes]:
    cookie = f"{settings.CSRF_COOKIE_NAME}={CSRF}"
    if session_key:
        cookie += f"; {settings.SESSION_COOKIE_NAME}={session_key}"
    body = None
    if request["method"] == "POST":
        body = (request["body"] + f"&csrfmiddlewaretoken={CSRF}").encode()
    http = urllib.request.Request(  # noqa: S310 - localhost
        base + request["path"], data=body, method=request["method"], headers={"Cookie": cookie}
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(http, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wrk(base: str, data_file: str, *, duration: int, connections: int) -> dict:
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
        "-s", str(LUA), base,
    ]  # fmt: skip
    output = subprocess.run(  # noqa: S603 - our own command line
        command, env={**os.environ, "BENCH_DATA": data_file}, capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def people(
    base: str, pages: dict[str, list[dict]], chosen: list[str], *, duration: int, count: int
) -> dict[str, dict]:
    """`count` people at work: each reads what they got for 1 to 3 seconds, then asks their
    next page. Person n takes session n of every page in turn (a corporation worker's list,
    search, household, visit; a partner's inbox and accept; a manager's dashboard). Accepts
    are taken from the end of each session's list (but the last, which count_queries took),
    which the busy run does not reach."""
    import threading

    latencies: dict[str, list[float]] = {page: [] for page in chosen}
    failures: dict[str, int] = dict.fromkeys(chosen, 0)
    stop = time.monotonic() + duration

    def person(number: int) -> None:
        rng = random.Random(number)  # noqa: S311 - pacing, not secrets
        turn = rng.randrange(len(chosen))
        taken: dict[str, int] = {}
        while True:
            time.sleep(rng.uniform(1, 3))
            if time.monotonic() > stop:
                return
            page = chosen[turn % len(chosen)]
            turn += 1
            session = pages[page][number % len(pages[page])]
            taken[page] = taken.get(page, 0) + 1
            if page == "referral_accept":
                request = session["requests"][-1 - taken[page]]  # the last: count_queries
            else:
                request = session["requests"][taken[page] % len(session["requests"])]
            expect = 302 if request["method"] == "POST" else 200
            started = time.perf_counter()
            status, _body = fetch(base, request, session["key"])
            latencies[page].append((time.perf_counter() - started) * 1e6)
            if status != expect:
                failures[page] += 1
                print(f"people: {page} {request['path']} answered {status}", file=sys.stderr)

    threads = [threading.Thread(target=person, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results = {}
    for page, values in latencies.items():
        values.sort()
        if values:
            results[page] = {
                "requests": len(values),
                **{
                    f"p{p}_us": values[min(len(values) - 1, int(len(values) * p / 100))]
                    for p in (50, 95, 99)
                },
                "bad": failures[page],
            }
    return results


def count_queries(sessions: list[dict], page: str) -> int:
    """The queries of a page asked a second time (a GET) by the first session, through the
    test client (the same middleware and views, in this process); a dashboard then comes from
    the cache, as managers mostly get it."""
    session = sessions[0]
    request = session["requests"][-1]  # the last: the run goes through them from the first
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = session["key"]
    if request["method"] == "GET":
        client.get(request["path"])  # counted the second time, as the test suite does
    with CaptureQueriesContext(connection) as queries:
        if request["method"] == "GET":
            response = client.get(request["path"])
        else:
            response = client.post(
                request["path"], data=request["body"],
                content_type="application/x-www-form-urlencoded",
            )  # fmt: skip
    assert response.status_code in (200, 302), (page, response.status_code)
    return len(queries)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, PostgreSQL {postgres}, "
        f"Python {platform.python_version()}, Django {django.get_version()}; "
        f"load average before the run {load}"
    )


def sizes() -> str:
    with connection.cursor() as cursor:
        counts = {}
        for table in ("cases_household", "cases_signal", "cases_referral", "cases_jointcase",
                      "cases_accesslog", "partners_user", "partners_organisation"):  # fmt: skip
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table]
            )  # estimates: counting the access log would take longer than a run
            counts[table.split("_", 1)[1]] = cursor.fetchone()[0]
    return ", ".join(f"{n:,} {name}" for name, n in counts.items())


def prepare(args, rng) -> dict[str, list[dict]]:
    """Sessions and requests per page."""
    corporations = largest(Household.objects.all(), "corporation", 10)
    partners = largest(
        Referral.objects.exclude(to_organisation__kind=Organisation.Kind.CORPORATIE),
        "to_organisation",
        10,
    )
    pages: dict[str, list[dict]] = {name: [] for name, *_ in PAGES}
    accepts = max(50, args.duration * 600 // PEOPLE)  # more than a run can accept
    for worker in people_of(corporations, Membership.Role.MEDEWERKER, PEOPLE):
        key = session_for(worker)
        for page, requests in corporation_requests(worker, rng).items():
            pages[page].append({"key": key, "requests": requests})
    wanted = {"referral_inbox", "referral_accept"} & set(args.pages.split(","))
    if wanted:
        for worker in people_of(partners, Membership.Role.MEDEWERKER, PEOPLE):
            key = session_for(worker)
            count = accepts if "referral_accept" in wanted else 1
            for page, requests in partner_requests(worker, count, rng).items():
                pages[page].append({"key": key, "requests": requests})
    managers = people_of(corporations[:12], Membership.Role.MANAGER, 12) + people_of(
        partners[:8], Membership.Role.MANAGER, 8
    )
    for manager in managers:
        key = session_for(manager)
        for page, requests in dashboard_requests(manager, rng).items():
            pages[page].append({"key": key, "requests": requests})
    return pages


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per page")
    parser.add_argument("--connections", type=int, default=PEOPLE)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1,
                        help="gunicorn worker processes (default: 2 per core + 1)")  # fmt: skip
    parser.add_argument("--port", type=int, default=8765 + os.getpid() % 1000)
    parser.add_argument("--pages", default=",".join(name for name, *_ in PAGES))
    parser.add_argument(
        "--people-duration", type=int, default=120, help="seconds of people at work (0: none)"
    )
    args = parser.parse_args()
    database = settings.DATABASES["default"]["NAME"]
    if "bench" not in database:
        raise SystemExit(f"Refusing to run on {database!r}: use make bench.")
    if not DashboardTally.objects.exists():
        raise SystemExit("No dashboard tallies: run make bench-data first.")

    about, data = machine(), sizes()
    pages = prepare(args, random.Random(8))  # noqa: S311 - choosing requests, not secrets
    chosen = [page for page in args.pages.split(",") if page]
    queries = {page: count_queries(pages[page], page) for page in chosen}
    connection.close()

    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [str(Path(sys.executable).parent / "gunicorn"), "inclusie.wsgi:application",
         "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
         "--worker-tmp-dir", "/dev/shm", "--log-level", "warning"],  # noqa: S108
        cwd=ROOT,
    )  # fmt: skip
    files, results, at_work = [], {}, {}
    try:
        for _attempt in range(60):
            try:
                fetch(base, get("/gezond/leeft/"))
                break
            except OSError:
                time.sleep(0.5)
        common = {
            "cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "csrf": CSRF,
        }
        for page in ["ceiling", *chosen]:
            if page == "ceiling":
                sessions = [{"key": "-", "requests": [get("/gezond/leeft/")]}]
                expect = 200
            else:
                sessions = pages[page]
                expect = 302 if page in ("visit_post", "referral_accept") else 200
            if page == "dashboard":
                # Warm: each manager has opened each view once since the tallies were counted.
                for session in sessions:
                    for request in session["requests"]:
                        assert fetch(base, request, session["key"])[0] == 200
            elif page != "referral_accept":
                # One request each first, so every worker has its connection and code loaded.
                for session in sessions[:4]:
                    status, _body = fetch(base, session["requests"][0], session["key"])
                    assert status == expect, (page, status)
            files.append(write_lua({**common, "expect": expect, "sessions": sessions}))
            results[page] = wrk(
                base, files[-1], duration=args.duration, connections=args.connections
            )
            print(
                f"{page}: {results[page]['rps']:.0f}/s, p95 "
                f"{results[page]['p95_us'] / 1000:.1f} ms",
                file=sys.stderr,
                flush=True,
            )
        if args.people_duration:
            at_work = people(
                base, pages, chosen, duration=args.people_duration, count=args.connections
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        for name in files:
            Path(name).unlink(missing_ok=True)
        forget_unaccepted(pages)

    ceiling = results["ceiling"]["rps"]
    print(f"\nMachine: {about}")
    print(f"Data: {database}: {data}")
    print(
        f"Run: {date.today().isoformat()}, gunicorn {args.workers} sync workers, "
        f"{args.connections} connections kept busy by wrk, {args.duration} s per page\n"
    )
    print("| page | queries | requests/s | share of ceiling | p50 ms | p95 ms | p99 ms | "
          "goal p95 | met: p95, share ≥ 0.25 | not ok |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    kinds = {name: (kind, what) for name, kind, what in PAGES}
    for page, r in results.items():
        kind, what = kinds.get(page, ("ceiling", "minimal view, no database (/gezond/leeft/)"))
        share = r["rps"] / ceiling
        goal = GOAL_MS.get(kind)
        met = "—"
        if goal is not None:
            fast, enough = r["p95_us"] / 1000 <= goal, share >= 0.25
            met = "yes" if fast and enough else "**no**"
            met += f" (p95 {'yes' if fast else 'no'}, share {'yes' if enough else 'no'})"
        bad = r["bad"] + r["socket_errors"]
        print(
            f"| {what} | {queries.get(page, 0)} | {r['rps']:.0f} | {share:.2f} | "
            f"{r['p50_us'] / 1000:.1f} | {r['p95_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} | "
            f"{f'{goal} ms' if goal else '—'} | {met} | "
            f"{bad}{' (' + r['bad_statuses'].strip() + ')' if r['bad_statuses'] else ''} |"
        )

    if at_work:
        print(
            f"\n{args.connections} people at work for {args.people_duration} s, each reading a "
            "page for 1 to 3 s before asking the next, going through the pages in turn:\n"
        )
        print("| page | requests | p50 ms | p95 ms | p99 ms | goal p95 | met | not ok |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
        for page, r in at_work.items():
            kind, what = kinds[page]
            goal = GOAL_MS.get(kind)
            met = "—" if goal is None else ("yes" if r["p95_us"] / 1000 <= goal else "**no**")
            print(
                f"| {what} | {r['requests']} | {r['p50_us'] / 1000:.1f} | "
                f"{r['p95_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} | "
                f"{f'{goal} ms' if goal else '—'} | {met} | "
                f"{r['bad']} |"
            )


if __name__ == "__main__":
    main()
