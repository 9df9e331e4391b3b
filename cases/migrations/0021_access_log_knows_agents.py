"""The access log records actors that are not people (ADR 0024): `channel` says how someone
acted (a person on the web pages, an API client, a personal link, or the installation itself),
`agent` and `agent_name` name an actor that is not a person. A CHECK holds that exactly one of
them acted: a web row has its person, an API or link row its agent and organisation, an
installation row neither person nor organisation.

The rows written so far are a person's on the web, except the installation's own (no person:
the removal of rows past their term), which are marked once, with the append-only trigger off
for that one statement, as migration 0008 did. On PostgreSQL the application role may not write
an installation row either (as it may not write "prune", migration 0019). On SQLite, altering
the table rebuilds it and drops its triggers: they are created again after it, as 0017 does."""

from django.conf import settings
from django.db import migrations, models

MESSAGE = "the access log is append-only"
MINIMUM_MONTHS = 12

SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS cases_accesslog_no_update;",
    "DROP TRIGGER IF EXISTS cases_accesslog_no_delete;",
    f"""
    CREATE TRIGGER cases_accesslog_no_update BEFORE UPDATE ON cases_accesslog
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END;
    """,
    f"""
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
    """,
]

POSTGRESQL_BACKFILL = [
    "SET CONSTRAINTS ALL IMMEDIATE;",
    "ALTER TABLE cases_accesslog DISABLE TRIGGER cases_accesslog_append_only;",
    "UPDATE cases_accesslog SET channel = 'installation' WHERE user_id IS NULL;",
    "ALTER TABLE cases_accesslog ENABLE TRIGGER cases_accesslog_append_only;",
    "SET CONSTRAINTS ALL DEFERRED;",
]
SQLITE_BACKFILL = [
    "DROP TRIGGER IF EXISTS cases_accesslog_no_update;",
    "UPDATE cases_accesslog SET channel = 'installation' WHERE user_id IS NULL;",
]


def _written_now(installation_check: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION cases_accesslog_written_now() RETURNS trigger AS $$
    DECLARE
        owner oid;
    BEGIN
        SELECT relowner INTO owner FROM pg_class WHERE oid = TG_RELID;
        IF pg_has_role(current_user, owner, 'MEMBER') THEN
            RETURN NEW;
        END IF;
        IF NEW.action = 'prune' THEN
            RAISE EXCEPTION 'the access log: only its owner writes a removal'
                USING ERRCODE = 'insufficient_privilege';
        END IF;{installation_check}
        NEW.at := now();
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """


POSTGRESQL_WRITTEN_NOW = _written_now(
    """
        IF NEW.channel = 'installation' THEN
            RAISE EXCEPTION 'the access log: only its owner writes as the installation'
                USING ERRCODE = 'insufficient_privilege';
        END IF;"""
)
POSTGRESQL_WRITTEN_NOW_REVERSE = _written_now("")


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0020_onward_referrals_tenancy_search_residents_common_categories"),
        ("partners", "0009_api_clients"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Reversed last: the table rebuilt back loses its triggers again.
        migrations.RunPython(migrations.RunPython.noop, run({"sqlite": SQLITE_TRIGGERS})),
        migrations.AddField(
            model_name="accesslog",
            name="agent",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="agent_name",
            field=models.CharField(blank=True, db_default="", default="", max_length=200),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="channel",
            field=models.CharField(
                choices=[
                    ("web", "web page"),
                    ("api", "API"),
                    ("link", "personal link"),
                    ("installation", "installation"),
                ],
                db_default="web",
                default="web",
                max_length=12,
            ),
        ),
        migrations.RunPython(
            run({"postgresql": POSTGRESQL_BACKFILL, "sqlite": SQLITE_BACKFILL}),
            migrations.RunPython.noop,
        ),
        migrations.AddConstraint(
            model_name="accesslog",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("agent", ""), ("channel", "web"), ("user__isnull", False)),
                    models.Q(
                        ("channel__in", ["api", "link"]),
                        ("organisation__isnull", False),
                        ("user__isnull", True),
                        models.Q(("agent", ""), _negated=True),
                    ),
                    models.Q(
                        ("agent", ""),
                        ("channel", "installation"),
                        ("organisation__isnull", True),
                        ("user__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="accesslog_someone_acted",
            ),
        ),
        migrations.RunPython(
            run({"postgresql": [POSTGRESQL_WRITTEN_NOW], "sqlite": SQLITE_TRIGGERS}),
            run({"postgresql": [POSTGRESQL_WRITTEN_NOW_REVERSE]}),
        ),
    ]
