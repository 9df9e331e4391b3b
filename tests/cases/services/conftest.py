"""Fixtures of the set-up file's tests (manage.py setup_installation, ADR 0020)."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "inclusie.example.yaml"


@pytest.fixture
def example() -> str:
    """The example set-up file that ships in docs/."""
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def edit():
    """The text with `old` replaced by `new` once, and the line `old` started on."""

    def _edit(text: str, old: str, new: str) -> tuple[str, int]:
        assert old in text, old
        return text.replace(old, new, 1), text[: text.index(old)].count("\n") + 1

    return _edit


@pytest.fixture
def run_setup(tmp_path, django_capture_on_commit_callbacks):
    """Write `text` to inclusie.yaml and run setup_installation on it with `options`, the
    e-mails queued after its commit sent; returns what it said (or raises CommandError)."""

    def _run(text: str, *options: str) -> str:
        path = tmp_path / "inclusie.yaml"
        path.write_text(text, encoding="utf-8")
        said = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("setup_installation", str(path), *options, stdout=said)
        return said.getvalue()

    return _run
