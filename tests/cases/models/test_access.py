"""The access log is append-only (issue 7, ADR 0010): the database itself refuses every UPDATE,
and every DELETE of a row younger than its term, on PostgreSQL and on SQLite."""

import datetime
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from cases.models import AccessLog, RetentionTerm

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


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


# --- the retention term in the trigger on PostgreSQL ------------------------------------------


def refused(statement, params=()):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)


def test_an_update_is_refused_even_of_an_old_row(rows):
    refused("UPDATE cases_accesslog SET action = 'search' WHERE id = %s", [rows["old"]])
    refused("UPDATE cases_accesslog SET household_corporation_id = NULL")


def test_a_young_row_cannot_be_deleted(rows):
    refused("DELETE FROM cases_accesslog WHERE id = %s", [rows["young"]])
    refused("DELETE FROM cases_accesslog WHERE id = %s", [rows["new"]])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=rows["new"]).delete()


def test_a_bulk_delete_with_young_rows_in_it_removes_nothing(rows):
    refused("DELETE FROM cases_accesslog")
    refused("DELETE FROM cases_accesslog WHERE at < now()")
    assert AccessLog.objects.count() == 3


def test_rows_past_the_term_can_be_removed(rows):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_accesslog WHERE id = %s", [rows["old"]])
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {rows["young"], rows["new"]}


def test_the_trigger_reads_the_term_from_the_table_but_never_goes_below_a_year(rows):
    RetentionTerm.objects.filter(kind="access_log").update(months=48)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_accesslog WHERE id = %s", [rows["young"]])
    # A term under a year is refused by the table, and would be raised to a year by the trigger.
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionTerm.objects.filter(kind="access_log").update(months=0)
    refused("DELETE FROM cases_accesslog WHERE id = %s", [rows["new"]])


def test_without_a_term_nothing_can_be_deleted(rows):
    RetentionTerm.objects.filter(kind="access_log").delete()
    refused("DELETE FROM cases_accesslog WHERE id = %s", [rows["old"]])


# --- the trigger on SQLite -------------------------------------------------------------------


def test_sqlite_refuses_the_same(tmp_path):
    database = tmp_path / "retention.sqlite3"
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
    db = sqlite3.connect(database, isolation_level=None)
    assert db.execute(
        "SELECT months FROM cases_retentionterm WHERE kind='access_log'"
    ).fetchone() == (60,)
    insert = (
        "INSERT INTO cases_accesslog (at, user_id, role, organisation_id, action, object_type,"
        " object_id, legal_basis, origin, detail) VALUES (?, 1, 'medewerker', 1, 'view', '', '',"
        " 'geen', '', '{}')"
    )
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    old = db.execute(insert, [str(now - datetime.timedelta(days=61 * 31))]).lastrowid
    young = db.execute(insert, [str(now - datetime.timedelta(days=59 * 30))]).lastrowid
    for statement, params in (
        ("UPDATE cases_accesslog SET action='x'", []),
        ("UPDATE cases_accesslog SET action='x' WHERE id = ?", [old]),
        ("DELETE FROM cases_accesslog WHERE id = ?", [young]),
        ("DELETE FROM cases_accesslog", []),
    ):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute(statement, params)
    assert db.execute("SELECT count(*) FROM cases_accesslog").fetchone() == (2,)
    db.execute("DELETE FROM cases_accesslog WHERE id = ?", [old])
    assert db.execute("SELECT id FROM cases_accesslog").fetchall() == [(young,)]
    db.execute("DELETE FROM cases_retentionterm WHERE kind='access_log'")
    old = db.execute(insert, [str(now - datetime.timedelta(days=61 * 31))]).lastrowid
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM cases_accesslog WHERE id = ?", [old])
