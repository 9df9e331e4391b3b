"""Load the managers' dashboard like 20 managers at once (issue 6).

    make bench-data            # once: the benchmark database
    make bench-dashboard       # or: bench/dashboard_load.py --duration 30 --workers 4

Serves the app with gunicorn (the environment `make bench-dashboard` sets: DEBUG off,
PostgreSQL, Redis), makes a session in the database for each of 20 managers (the twelve largest
corporations' and the eight partners that receive most referrals), and drives it with wrk
(bench/dashboard.lua): 20 connections, each request one manager's dashboard with one of five
filter choices (none, per week, a category, a district, a partner). The runs:

- ceiling: /gezond/ (no session, one SELECT 1): what this machine serves at most;
- start: the start page of the same 20 sessions, the cheapest page a logged-in person gets;
- warm: the dashboards as managers use them (after the first view of each filter choice the
  computed dashboard comes from the cache, until the tallies are counted again);
- cold: every request with an end date not asked before, so every dashboard is computed;
- people: 20 managers who each read a page for 1 to 3 seconds before the next view (Python
  threads, not wrk: wrk's delay() inflated its latencies here).

Every run but people sends the next request the moment the previous answer is in: 20 busy
connections, which is harder than 20 people.

Prints requests per second and p50/p95/p99 of each run as Markdown, with the machine."""

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusie.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Sum  # noqa: E402

from cases.models import Agreement, DashboardTally, Household, Referral  # noqa: E402
from inclusie.middleware import LAST_SEEN_KEY, STARTED_KEY  # noqa: E402
from partners.actor import SESSION_KEY  # noqa: E402
from partners.models import Membership, Neighbourhood  # noqa: E402
from partners.sessions import SessionStore  # noqa: E402

LUA = ROOT / "bench" / "dashboard.lua"


def managers() -> list[Membership]:
    corporations = list(
        Household.objects.values("corporation")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("corporation", flat=True)[:12]
    )
    partners = list(
        Referral.objects.values("to_organisation")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("to_organisation", flat=True)[:8]
    )
    chosen = []
    for organisation in corporations + partners:
        membership = (
            Membership.objects.active()
            .filter(organisation_id=organisation, role=Membership.Role.MANAGER)
            .select_related("user", "organisation")
            .first()
        )
        if membership:
            chosen.append(membership)
    return chosen


def paths_for(manager: Membership, rng: random.Random, categories: list[int]) -> list[str]:
    organisation = manager.organisation_id
    areas = DashboardTally.objects.filter(
        organisation_id=organisation, figure=DashboardTally.Figure.AREAS
    ).values_list("neighbourhood_id", flat=True)
    districts = list(
        Neighbourhood.objects.filter(children__in=areas).distinct().values_list("pk", flat=True)
    ) or list(areas)
    agreements = Agreement.objects.visible_to(manager)
    partners = sorted(
        {pk for pair in agreements.values_list("first_id", "second_id") for pk in pair}
        - {organisation}
    )
    return [
        "/dashboard/",
        "/dashboard/?per=week",
        f"/dashboard/?category={rng.choice(categories)}",
        f"/dashboard/?neighbourhood={rng.choice(districts)}",
        f"/dashboard/?partner={rng.choice(partners)}",
    ]


def session_for(manager: Membership) -> str:
    now = int(time.time())
    store = SessionStore()
    store["_auth_user_id"] = str(manager.user_id)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = manager.user.get_session_auth_hash()
    store[SESSION_KEY] = manager.pk
    store[STARTED_KEY] = now
    store[LAST_SEEN_KEY] = now
    store.create()
    return store.session_key


def lua_table(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {lua_table(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(lua_table(v) for v in value) + "}"
    return json.dumps(value)


def write_lua(data: dict) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write("return " + lua_table(data) + "\n")
    return handle.name


def get(base: str, path: str, session_key: str | None = None) -> bytes:
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"} if session_key else {}
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 - localhost
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - localhost
        assert response.status == 200, (path, response.status)
        return response.read()


def flush_cache() -> None:
    """Forget computed dashboards (only this benchmark's keys)."""
    import redis

    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def wrk(url: str, *, sessions_file: str, mode: str, duration: int, connections: int) -> dict:
    env = {**os.environ, "BENCH_SESSIONS": sessions_file, "BENCH_MODE": mode}
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
        "-s", str(LUA), url,
    ]  # fmt: skip
    output = subprocess.run(  # noqa: S603 - our own command line
        command, env=env, capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def people(base: str, sessions: list[dict], *, duration: int) -> dict:
    """Each session a person: read a page for 1 to 3 seconds, open one of their views."""
    latencies, failures = [], []
    stop = time.monotonic() + duration

    def person(session, seed):
        rng = random.Random(seed)  # noqa: S311 - pacing, not secrets
        while True:
            time.sleep(rng.uniform(1, 3))
            if time.monotonic() > stop:
                return
            started = time.perf_counter()
            try:
                get(base, rng.choice(session["paths"]), session["key"])
            except (OSError, AssertionError):
                failures.append(1)
            latencies.append((time.perf_counter() - started) * 1e6)

    threads = [
        threading.Thread(target=person, args=(session, n)) for n, session in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))]

    return {
        "requests": len(latencies),
        "rps": len(latencies) / duration,
        "p50_us": percentile(50),
        "p95_us": percentile(95),
        "p99_us": percentile(99),
        "max_us": latencies[-1],
        "not_200": len(failures),
        "socket_errors": 0,
    }


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
        f"Python {platform.python_version()}, load average before the run {load}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per run")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765 + os.getpid() % 1000)
    parser.add_argument("--runs", default="ceiling,start,warm,cold,people")
    args = parser.parse_args()
    database = settings.DATABASES["default"]["NAME"]
    if "bench" not in database:
        raise SystemExit(f"Refusing to run on {database!r}: use make bench-dashboard.")
    counted = DashboardTally.objects.aggregate(rows=Count("pk"), signals=Sum("value"))
    if not counted["rows"]:
        raise SystemExit("No dashboard tallies: run make bench-data first.")

    rng = random.Random(6)  # noqa: S311 - choosing filters, not secrets
    categories = list(
        DashboardTally.objects.values_list("category_id", flat=True)
        .filter(category__isnull=False)
        .distinct()
    )
    chosen = managers()
    sessions = [{"key": session_for(m), "paths": paths_for(m, rng, categories)} for m in chosen]
    today = date.today()
    data = {
        "cookie": settings.SESSION_COOKIE_NAME,
        "sessions": sessions,
        "days": [(today - timedelta(days=n)).isoformat() for n in range(1, 700)],
    }
    about = machine()
    connection.close()
    sessions_file = write_lua(data)
    health_file = write_lua({**data, "sessions": [{"key": "-", "paths": ["/gezond/"]}]})
    start_file = write_lua(
        {**data, "sessions": [{"key": s["key"], "paths": ["/"]} for s in sessions]}
    )

    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "inclusie.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
    )
    results = {}
    try:
        for _attempt in range(60):
            try:
                get(base, "/gezond/")
                break
            except OSError:
                time.sleep(0.5)
        for run in args.runs.split(","):
            if run in ("ceiling", "start"):
                results[run] = wrk(
                    base, sessions_file=health_file if run == "ceiling" else start_file,
                    mode="warm", duration=args.duration, connections=args.connections,
                )  # fmt: skip
                continue
            flush_cache()
            if run in ("warm", "people"):
                # Each manager opens each of their views once, as they would during the ten
                # minutes between two counts; the run measures what follows.
                for session in sessions:
                    for path in session["paths"]:
                        assert b"Dashboard" in get(base, path, session["key"])
            else:
                wrk(base, sessions_file=sessions_file, mode=run, duration=5, connections=4)
            if run == "people":
                results[run] = people(base, sessions, duration=args.duration)
                continue
            results[run] = wrk(
                base, sessions_file=sessions_file, mode=run,
                duration=args.duration, connections=args.connections,
            )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
        for name in (sessions_file, health_file, start_file):
            Path(name).unlink(missing_ok=True)

    print(f"\nMachine: {about}")
    print(
        f"Data: {database}, {counted['rows']:,} tallies; {len(sessions)} manager sessions "
        f"({args.connections} connections), gunicorn {args.workers} sync workers, "
        f"{args.duration} s per run, {date.today().isoformat()}\n"
    )
    print("| run | requests | requests/s | p50 ms | p95 ms | p99 ms | max ms | not 200 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for run, r in results.items():
        print(
            f"| {run} | {r['requests']:,} | {r['rps']:.1f} | {r['p50_us'] / 1000:.1f} | "
            f"{r['p95_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} | {r['max_us'] / 1000:.0f} | "
            f"{r['not_200'] + r['socket_errors']} |"
        )


if __name__ == "__main__":
    main()
