"""Under CI=true the suite refuses to fall back: SQLite or a missing service fails the run."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_suite(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "tests/test_celery.py"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ci_refuses_sqlite_and_a_missing_redis():
    result = run_suite(CI="true")
    assert result.returncode == 3
    assert "DATABASE_URL does not point at PostgreSQL" in result.stdout + result.stderr
    assert "Redis is not reachable" in result.stdout + result.stderr


def test_ci_refuses_an_unreachable_redis():
    result = run_suite(
        CI="true",
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1/x"),
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    assert result.returncode == 3
    assert "Redis is not reachable" in result.stdout + result.stderr
