"""The access log's foreign keys lose their single-column indexes: each key leads a composite
index (household, organisation, user or corporation, then time) that serves its lookups too,
and every index costs each row every page writes (ADR 0012).

Only the indexes are dropped: an AlterField would also drop and re-add the foreign-key
constraints, re-checking every row of a table of millions under lock. On PostgreSQL they are
dropped (and, going back, built) CONCURRENTLY, so the pages that write the log meanwhile are
not blocked; that cannot run inside a transaction, hence `atomic = False`."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEXES = {
    "cases_accesslog_household_id_4649f4dd": "household_id",
    "cases_accesslog_household_corporation_id_29ace6da": "household_corporation_id",
    "cases_accesslog_organisation_id_9502459e": "organisation_id",
    "cases_accesslog_user_id_ef75ba79": "user_id",
}
PROTECT = django.db.models.deletion.PROTECT


def run(statement: str):
    """`statement` for every index, CONCURRENTLY where the database has it (PostgreSQL)."""

    def apply(apps, schema_editor):
        how = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
        for name, column in INDEXES.items():
            schema_editor.execute(statement.format(how=how, name=name, column=column))

    return apply


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0014_list_indexes"),
        ("partners", "0005_notification_retries_and_dedupe_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(
                    run('DROP INDEX {how}IF EXISTS "{name}"'),
                    run(
                        'CREATE INDEX {how}IF NOT EXISTS "{name}" ON "cases_accesslog" ("{column}")'
                    ),
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="accesslog",
                    name="household",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=PROTECT,
                        related_name="+",
                        to="cases.household",
                    ),
                ),
                migrations.AlterField(
                    model_name="accesslog",
                    name="household_corporation",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=PROTECT,
                        related_name="+",
                        to="partners.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="accesslog",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=PROTECT,
                        related_name="+",
                        to="partners.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="accesslog",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
