"""The access log's rows written by the installation itself (ADR 0017): the removal of rows past
the log's term, run by the operator as the owner role, is logged with no person and no
organisation, under the new action "prune".

On SQLite, altering a column rebuilds the table, which drops its triggers: they are created
again after it, as migration 0008 left them (and again when this migration is reversed)."""

import django.db.models.deletion
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


def sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_retention_per_data_controller"),
        ("partners", "0005_notification_retries_and_dedupe_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Reversed last: the table rebuilt back loses its triggers again.
        migrations.RunPython(migrations.RunPython.noop, sqlite_triggers),
        migrations.AlterField(
            model_name="accesslog",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "viewed"),
                    ("search", "searched"),
                    ("export", "exported"),
                    ("create", "created"),
                    ("update", "changed"),
                    ("import", "imported"),
                    ("emergency", "opened in an emergency"),
                    ("erase", "erased on request"),
                    ("audit", "read the access log"),
                    ("prune", "removed past its retention term"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="partners.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("medewerker", "worker"),
                    ("manager", "manager"),
                    ("beheerder", "administrator"),
                    ("privacyfunctionaris", "privacy officer"),
                ],
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="user",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(sqlite_triggers, migrations.RunPython.noop),
    ]
