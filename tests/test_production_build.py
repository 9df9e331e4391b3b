"""The production build (issue 16, item 1): `collectstatic` with the storage production uses
(whitenoise's compressed manifest), as the Dockerfile runs it. The manifest storage fails on any
file a stylesheet or script names that is not there (the vendored Chart.js names its source
map), which the tests' plain storage never notices."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def collectstatic(target: Path) -> subprocess.CompletedProcess:
    """The Dockerfile's own step, with only its variables (no database, no Redis)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "false",
        "SECRET_KEY": "build-only-collectstatic-key-never-used-at-runtime-0123456789abcdef",
        "ALLOWED_HOSTS": "build.invalid",
        "STATIC_ROOT": str(target),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_collectstatic_with_the_production_storage_finds_every_file(tmp_path):
    result = collectstatic(tmp_path / "static")
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    for name in ("vendor/chartjs/chart.umd.min.js", "css/inclusie.css", "js/inclusie.js"):
        hashed = manifest[name]
        assert hashed != name, "named by content, so browsers may keep it for a year"
        assert (tmp_path / "static" / (hashed + ".gz")).exists(), "compressed beside it"
