"""Retention of the access log (ADR 0010): the database still refuses every UPDATE, and every
DELETE of a row younger than the access log's retention term, which the trigger reads from
cases_retentionterm (never less than 12 months; no term, no deletion). Also: the default
retention terms, and household_corporation filled in for the rows written before it existed.

(Row triggers do not fire on PostgreSQL's TRUNCATE; ADR 0006 revokes it from the application's
database user in production.)"""

from django.db import migrations

MESSAGE = "the access log is append-only"
MINIMUM_MONTHS = 12

DEFAULT_TERMS = {
    "signals": 24,
    "visits": 24,
    "referrals": 24,
    "consents": 24,
    "joint_cases": 24,
    "history": 60,
    "emergency": 60,
    "access_log": 60,
}

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION cases_accesslog_refuse_change() RETURNS trigger AS $$
    DECLARE
        term integer;
    BEGIN
        IF TG_OP = 'DELETE' THEN
            SELECT months INTO term FROM cases_retentionterm WHERE kind = 'access_log';
            IF term IS NOT NULL
               AND OLD.at < now() - make_interval(months => GREATEST(term, {MINIMUM_MONTHS})) THEN
                RETURN OLD;
            END IF;
        END IF;
        RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
]
POSTGRESQL_REVERSE = [
    f"""
    CREATE OR REPLACE FUNCTION cases_accesslog_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
]
# The rows written before household_corporation existed get it once, with the trigger off for
# this statement only; deferred foreign-key checks would block re-enabling it.
POSTGRESQL_BACKFILL = [
    "SET CONSTRAINTS ALL IMMEDIATE;",
    "ALTER TABLE cases_accesslog DISABLE TRIGGER cases_accesslog_append_only;",
    """
    UPDATE cases_accesslog AS log SET household_corporation_id = household.corporation_id
    FROM cases_household AS household
    WHERE household.id = log.household_id AND log.household_corporation_id IS NULL;
    """,
    "ALTER TABLE cases_accesslog ENABLE TRIGGER cases_accesslog_append_only;",
    "SET CONSTRAINTS ALL DEFERRED;",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS cases_accesslog_no_update;",
    "DROP TRIGGER IF EXISTS cases_accesslog_no_delete;",
]
SQLITE_UPDATE = f"""
    CREATE TRIGGER cases_accesslog_no_update BEFORE UPDATE ON cases_accesslog
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END;
"""
# Django stores datetimes on SQLite as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC, which compares as
# text with SQLite's own datetime(). Without a term the comparison is NULL: refused.
SQLITE_DELETE = f"""
    CREATE TRIGGER cases_accesslog_no_delete BEFORE DELETE ON cases_accesslog
    WHEN NOT COALESCE(
        OLD.at < datetime(
            'now',
            '-' || (
                SELECT MAX(months, {MINIMUM_MONTHS}) FROM cases_retentionterm
                WHERE kind = 'access_log'
            ) || ' months'
        ),
        0
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END;
"""
SQLITE_DELETE_REVERSE = f"""
    CREATE TRIGGER cases_accesslog_no_delete BEFORE DELETE ON cases_accesslog
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END;
"""
SQLITE_BACKFILL = """
    UPDATE cases_accesslog SET household_corporation_id = (
        SELECT corporation_id FROM cases_household WHERE cases_household.id = household_id
    ) WHERE household_id IS NOT NULL AND household_corporation_id IS NULL;
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    RetentionTerm = apps.get_model("cases", "RetentionTerm")
    for kind, months in DEFAULT_TERMS.items():
        RetentionTerm.objects.get_or_create(kind=kind, defaults={"months": months})
    if vendor == "postgresql":
        for statement in POSTGRESQL_BACKFILL + POSTGRESQL:
            schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        # Without the triggers for a moment: the backfill is the one UPDATE this table gets.
        for statement in [*SQLITE_DROP, SQLITE_BACKFILL, SQLITE_UPDATE, SQLITE_DELETE]:
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL_REVERSE:
            schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        for statement in [*SQLITE_DROP, SQLITE_UPDATE, SQLITE_DELETE_REVERSE]:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_privacy_retention_emergency_reports")]

    operations = [migrations.RunPython(forwards, backwards)]
