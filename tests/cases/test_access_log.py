"""The access log is append-only: the database itself refuses UPDATE and DELETE."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from cases.access.log import log_access
from cases.models import AccessLog

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def row(corporation_worker, household):
    return log_access(actor=corporation_worker, action="view", household=household, obj=household)


def test_a_row_records_who_when_on_whose_behalf_what_and_why(row, corporation_worker, household):
    row.refresh_from_db()
    assert row.user == corporation_worker.user
    assert row.role == "medewerker"
    assert row.organisation == corporation_worker.organisation
    assert row.household == household
    assert (row.action, row.object_type, row.object_id) == (
        "view",
        "cases.household",
        str(household.pk),
    )
    assert row.legal_basis == "eigen_huurder"
    assert row.at is not None


@pytest.mark.parametrize(
    "statement",
    ["UPDATE cases_accesslog SET action = 'search'", "DELETE FROM cases_accesslog"],
)
def test_the_database_refuses_changes(row, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AccessLog.objects.filter(pk=row.pk, action="view").exists()


def test_the_orm_cannot_change_or_delete_either(row):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).update(action="export")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        row.delete()
    assert AccessLog.objects.filter(pk=row.pk).exists()


def test_sqlite_refuses_changes_too(tmp_path):
    database = tmp_path / "trigger.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true"}
    env.pop("REDIS_URL", None)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert migrate.returncode == 0, migrate.stderr
    import sqlite3

    db = sqlite3.connect(database)
    triggers = {
        name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
    }
    assert {"cases_accesslog_no_update", "cases_accesslog_no_delete"} <= triggers
    db.execute(
        "INSERT INTO cases_accesslog (at, user_id, role, organisation_id, action, object_type,"
        " object_id, legal_basis, origin, detail) VALUES"
        " ('2026-01-01', 1, 'medewerker', 1, 'view', '', '', 'geen', '', '{}')"
    )
    for statement in ("UPDATE cases_accesslog SET action='x'", "DELETE FROM cases_accesslog"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute(statement)


def test_the_access_log_keeps_one_index_per_way_it_is_read():
    """Every index costs each row every page writes: the foreign keys have none of their own,
    each leads a composite index (migration 0015, ADR 0012)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "cases_accesslog")
    indexed = sorted(
        tuple(c["columns"]) for c in constraints.values() if c["index"] and not c["primary_key"]
    )
    assert indexed == [
        ("at",),
        ("household_corporation_id", "at"),
        ("household_id", "at"),
        ("organisation_id", "at"),
        ("user_id", "at"),
    ]
