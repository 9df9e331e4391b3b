"""Removing access-log rows past the log's term (issue 15, ADR 0017): run as the owner role, it
removes only what is past the term and logs itself in the log; run as the application's role, it
refuses with a clear message before touching anything."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone, translation

from cases.models import AccessLog, RetentionTerm
from cases.services.access_log_prune import ORIGIN, access_log_prune

ROOT = Path(__file__).resolve().parents[3]


def test_it_removes_only_the_rows_past_the_term_and_logs_itself(rows):
    pruned = access_log_prune()
    assert pruned.removed == 1
    own = AccessLog.objects.get(action=AccessLog.Action.PRUNE)
    assert own == pruned.row
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {
        rows["young"],
        rows["new"],
        own.pk,
    }
    assert (own.user_id, own.organisation_id, own.household_id, own.role) == (None, None, None, "")
    assert own.origin == ORIGIN and own.legal_basis == AccessLog.LegalBasis.NONE
    cutoff = datetime.datetime.fromisoformat(own.detail["cutoff"])
    assert own.detail == {
        "removed": 1,
        "cutoff": pruned.cutoff.isoformat(),
        "months": 60,
        "database_role": connection.settings_dict["USER"],
    }
    # Sixty months back and a day's margin, so the database's clock never disagrees.
    assert (
        timezone.now() - datetime.timedelta(days=61 * 31)
        < cutoff
        < timezone.now() - datetime.timedelta(days=60 * 30)
    )


def test_a_shorter_term_whose_date_has_come_is_put_in_force_before_removing(rows):
    """Announced at 59 months and due: the young row (59 months and a bit) goes too. The
    trigger reads the term in force, so without putting it in force first the one DELETE
    would be refused whole."""
    RetentionTerm.objects.filter(kind="access_log").update(
        pending_months=58, pending_from=timezone.now() - datetime.timedelta(minutes=1)
    )
    pruned = access_log_prune()
    assert (pruned.removed, pruned.months) == (2, 58)
    term = RetentionTerm.objects.get(kind="access_log")
    assert (term.months, term.pending_months) == (58, None)
    assert set(AccessLog.objects.exclude(action="prune").values_list("pk", flat=True)) == {
        rows["new"]
    }


def test_a_second_run_removes_nothing_and_says_so(rows):
    access_log_prune()
    again = access_log_prune()
    assert again.removed == 0 and again.row.detail["removed"] == 0
    assert AccessLog.objects.filter(action=AccessLog.Action.PRUNE).count() == 2


def test_the_command_says_what_it_removed(rows):
    out = io.StringIO()
    with translation.override("en"):
        call_command("access_log_prune", stdout=out)
    assert out.getvalue().startswith("Removed 1 access-log rows from before ")
    assert "(term: 60 months)" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_as_the_application_role_it_refuses_and_touches_nothing(rows, app_role_connect):
    params = connection.settings_dict
    host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    url = f"postgres://{settings.DATABASE_APP_ROLE}@{host}:{port}/{params['NAME']}"
    result = subprocess.run(
        [sys.executable, "manage.py", "access_log_prune"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "CommandError: Deze databaserol mag geen regels uit het toegangslog" in result.stderr
    assert "Traceback" not in result.stderr
    assert AccessLog.objects.count() == 3, "the old row stays, and no row about a removal"
