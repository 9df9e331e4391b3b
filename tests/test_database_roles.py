"""The database protects the access log (issue 15, ADR 0017): migrate, run as the owner, grants
the application's role SELECT and INSERT on the log and no more, and what it needs elsewhere;
connected as that role, TRUNCATE, DELETE, UPDATE, DISABLE TRIGGER and session_replication_role
are refused. The deploy check warns when the application connects as a role that could."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from cases.services.retention import retention_terms_ensure
from inclusie.checks import application_database_role
from inclusie.database_roles import app_role_grant

ROOT = Path(__file__).resolve().parent.parent
LOG = "cases_accesslog"


def _insert_log_row(cursor, *, at, membership) -> int:
    cursor.execute(
        "INSERT INTO cases_accesslog (at, user_id, role, organisation_id, action, object_type,"
        " object_id, legal_basis, origin, detail) VALUES"
        " (%s, %s, 'medewerker', %s, 'view', '', '', 'geen', '', '{}') RETURNING id",
        [at, membership.user_id, membership.organisation_id],
    )
    return cursor.fetchone()[0]


@pytest.fixture
def app(app_role_connect):
    """A connection as the application's role, on a database with a log row from long ago
    (past the term, so the trigger alone would let it go) and one from today."""
    return app_role_connect()


@pytest.fixture
def logged(corporation_worker):
    retention_terms_ensure()  # the trigger lets a row past the access log's term be deleted
    now = timezone.now()
    with connection.cursor() as cursor:
        return {
            "old": _insert_log_row(
                cursor, at=now - datetime.timedelta(days=61 * 31), membership=corporation_worker
            ),
            "new": _insert_log_row(cursor, at=now, membership=corporation_worker),
        }


def _count(statement="SELECT count(*) FROM cases_accesslog") -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement)
        return cursor.fetchone()[0]


# --- connected as the application's role ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_application_role_reads_and_adds_to_the_log(app, logged, corporation_worker):
    with app.cursor() as cursor:
        cursor.execute("SELECT id FROM cases_accesslog ORDER BY id")
        assert [row for (row,) in cursor] == [logged["old"], logged["new"]]
        added = _insert_log_row(cursor, at=timezone.now(), membership=corporation_worker)
    assert _count() == 3 and added > logged["new"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE cases_accesslog",
        "DELETE FROM cases_accesslog WHERE id = {old}",
        "UPDATE cases_accesslog SET action = 'search' WHERE id = {new}",
        "ALTER TABLE cases_accesslog DISABLE TRIGGER USER",
        "ALTER TABLE cases_accesslog DISABLE TRIGGER cases_accesslog_append_only",
        "SET session_replication_role = replica",
        "DROP TABLE cases_accesslog",
        # A temporary table of the same name would take the connection's log rows.
        "CREATE TEMP TABLE cases_accesslog (id integer)",
    ],
)
def test_the_application_role_cannot_remove_change_or_bypass_the_log(app, logged, statement):
    """Refused by the privileges, not by the trigger: the old row is past its term, so the
    trigger itself would let its DELETE through."""
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused, app.cursor() as cursor:
        cursor.execute(statement.format(**logged))
    assert "append-only" not in str(refused.value)
    assert _count() == 2
    with app.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone() == ("origin",)


@pytest.mark.django_db(transaction=True)
def test_the_application_role_does_its_work_on_the_other_tables(
    app, corporation, neighbourhood, household
):
    with app.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_household (corporation_id, tenancy_reference, street, house_number,"
            " house_number_addition, postcode, town, neighbourhood_id, phone, email, created_at,"
            " updated_at) VALUES (%s, 'HC-APP-1', 'Eikenlaan', 3, '', '9901 AB', 'Lindenhoven',"
            " %s, '', '', now(), now()) RETURNING id",
            [corporation.pk, neighbourhood.pk],
        )
        added = cursor.fetchone()[0]
        cursor.execute("UPDATE cases_household SET street = 'Beukenlaan' WHERE id = %s", [added])
        cursor.execute("DELETE FROM cases_resident WHERE household_id = %s", [household.pk])
        cursor.execute("SELECT street FROM cases_household WHERE id = %s", [added])
        assert cursor.fetchone() == ("Beukenlaan",)
        # The migrations' own table is read, never written, and no table can be made.
        for statement in (
            "DELETE FROM django_migrations",
            "CREATE TABLE cases_extra (id integer)",
            "TRUNCATE cases_household CASCADE",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                cursor.execute(statement)


# --- what migrate grants ------------------------------------------------------------------------


def _privileges(role: str) -> dict[str, set[str]]:
    """Per table of the schema, what `role` may do to it."""
    kinds = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"]
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, k.kind FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " LEFT JOIN unnest(%(kinds)s::text[]) AS k(kind)"
            " ON has_table_privilege(%(role)s, c.oid, k.kind)"
            " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')",
            {"role": role, "kinds": kinds},
        )
        for table, kind in cursor:
            found.setdefault(table, set()).update({kind} if kind else set())
    return found


def test_migrate_grants_the_application_role_what_it_needs_and_no_more(db, app_role_connect):
    role = settings.DATABASE_APP_ROLE
    privileges = _privileges(role)
    assert privileges.pop(LOG) == {"SELECT", "INSERT"}
    assert privileges.pop("django_migrations") == {"SELECT"}
    assert set(map(frozenset, privileges.values())) == {
        frozenset({"SELECT", "INSERT", "UPDATE", "DELETE"})
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_schema_privilege(%(r)s, current_schema(), 'CREATE'),"
            " (SELECT count(*) FROM pg_class WHERE pg_get_userbyid(relowner) = %(r)s),"
            " (SELECT rolsuper FROM pg_roles WHERE rolname = %(r)s)",
            {"r": role},
        )
        assert cursor.fetchone() == (False, 0, False)


@pytest.mark.django_db(transaction=True)
def test_the_grant_takes_back_what_was_given_by_hand(app_role_connect):
    role = connection.ops.quote_name(settings.DATABASE_APP_ROLE)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT ALL ON cases_accesslog, django_migrations TO {role}")
    assert _privileges(settings.DATABASE_APP_ROLE)[LOG] >= {"DELETE", "TRUNCATE"}
    app_role_grant(role=settings.DATABASE_APP_ROLE)
    privileges = _privileges(settings.DATABASE_APP_ROLE)
    assert (privileges[LOG], privileges["django_migrations"]) == ({"SELECT", "INSERT"}, {"SELECT"})


def test_the_grant_refuses_a_superuser_the_owner_and_a_missing_role(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    with pytest.raises(ImproperlyConfigured, match="superuser|owns"):
        app_role_grant(role=owner)
    with pytest.raises(ImproperlyConfigured, match="does not exist"):
        app_role_grant(role="inclusie_no_such_role")


# --- the deploy check ---------------------------------------------------------------------------


def _deploy_check_as_app_role() -> str:
    params = connection.settings_dict
    host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    url = f"postgres://{settings.DATABASE_APP_ROLE}@{host}:{port}/{params['NAME']}"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--database", "default"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout + result.stderr


def test_the_deploy_check_warns_when_connected_as_a_superuser(db):
    warnings = application_database_role(None, databases=["default"])
    assert [w.id for w in warnings] == ["inclusie.W007"]
    assert application_database_role(None, databases=None) == [], "only with --database"


def test_the_deploy_check_is_quiet_as_the_application_role(db, app_role_connect):
    output = _deploy_check_as_app_role()
    assert "System check identified" in output, output
    assert "inclusie.W007" not in output and "inclusie.W008" not in output


@pytest.mark.django_db(transaction=True)
def test_the_deploy_check_warns_when_the_role_may_delete_from_the_log(app_role_connect):
    role = connection.ops.quote_name(settings.DATABASE_APP_ROLE)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT DELETE, TRUNCATE, TRIGGER ON cases_accesslog TO {role}")
        cursor.execute(f"GRANT TEMPORARY ON DATABASE {connection.settings_dict['NAME']} TO {role}")
    try:
        output = _deploy_check_as_app_role()
    finally:
        app_role_grant(role=settings.DATABASE_APP_ROLE)
    assert "inclusie.W008" in output and "(DELETE, TRUNCATE, TRIGGER, TEMPORARY)" in output
    assert "inclusie.W007" not in output
