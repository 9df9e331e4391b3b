"""The access log refuses UPDATE and DELETE at the database level, on PostgreSQL and SQLite.

(PostgreSQL's TRUNCATE does not fire row triggers; the test suite's flush between tests uses it.
Retention, the one sanctioned removal, comes with its own migration.)"""

from django.db import migrations

MESSAGE = "the access log is append-only"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION cases_accesslog_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER cases_accesslog_append_only
    BEFORE UPDATE OR DELETE ON cases_accesslog
    FOR EACH ROW EXECUTE FUNCTION cases_accesslog_refuse_change();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_accesslog_append_only ON cases_accesslog;",
    "DROP FUNCTION IF EXISTS cases_accesslog_refuse_change();",
]
SQLITE = [
    f"""
    CREATE TRIGGER cases_accesslog_no_update BEFORE UPDATE ON cases_accesslog
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END;
    """,
    f"""
    CREATE TRIGGER cases_accesslog_no_delete BEFORE DELETE ON cases_accesslog
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_accesslog_no_update;",
    "DROP TRIGGER IF EXISTS cases_accesslog_no_delete;",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_households_visits_signals_access_log")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
