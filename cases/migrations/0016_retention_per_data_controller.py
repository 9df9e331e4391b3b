"""Retention per data controller (ADR 0015): each organisation keeps its own terms for the
records it holds; the access log keeps one installation-wide term. The terms set before for the
whole installation become every organisation's own, so nothing changes on the day this runs."""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# SQLite remakes a table to alter it; its check of triggers would find the access log's DELETE
# trigger pointing at a table that is gone for a moment. The trigger steps aside meanwhile and
# comes back as migration 0008 made it.
_0008 = importlib.import_module("cases.migrations.0008_access_log_deletes_only_past_its_term")


def sqlite_trigger_off(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS cases_accesslog_no_delete;", params=None)


def sqlite_trigger_on(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS cases_accesslog_no_delete;", params=None)
        schema_editor.execute(_0008.SQLITE_DELETE, params=None)


def per_organisation(apps, schema_editor):
    RetentionTerm = apps.get_model("cases", "RetentionTerm")
    Organisation = apps.get_model("partners", "Organisation")
    db = schema_editor.connection.alias
    shared = list(
        RetentionTerm.objects.using(db).filter(organisation__isnull=True).exclude(kind="access_log")
    )
    organisations = list(Organisation.objects.using(db).values_list("pk", flat=True))
    Membership = apps.get_model("partners", "Membership")
    # Who changed a shared term stays named only on their own organisation's copy: another
    # organisation's page shows no name from elsewhere, nor does the installation's.
    homes = {
        (m.user_id, m.organisation_id)
        for m in Membership.objects.using(db).filter(
            user_id__in={t.updated_by_id for t in shared if t.updated_by_id}
        )
    }
    RetentionTerm.objects.using(db).bulk_create(
        [
            RetentionTerm(
                organisation_id=organisation_id,
                kind=term.kind,
                months=term.months,
                updated_by_id=term.updated_by_id
                if (term.updated_by_id, organisation_id) in homes
                else None,
                updated_at=term.updated_at,
            )
            for term in shared
            for organisation_id in organisations
        ]
    )
    RetentionTerm.objects.using(db).filter(pk__in=[term.pk for term in shared]).delete()
    RetentionTerm.objects.using(db).filter(kind="access_log").update(updated_by=None)
    _checks_now(schema_editor)


def _checks_now(schema_editor):
    """The constraints that follow alter the table: PostgreSQL refuses that while the rows
    written here still have their deferred foreign-key checks pending (as in 0008)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE;", params=None)
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED;", params=None)


def installation_wide(apps, schema_editor):
    """Back: one term per kind again, the longest any organisation kept (nothing is lost)."""
    RetentionTerm = apps.get_model("cases", "RetentionTerm")
    db = schema_editor.connection.alias
    own = RetentionTerm.objects.using(db).filter(organisation__isnull=False)
    longest = {}
    for term in own:
        longest[term.kind] = max(longest.get(term.kind, 0), term.months)
    own.delete()
    for kind, months in longest.items():
        RetentionTerm.objects.using(db).create(kind=kind, months=months)
    _checks_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_access_log_without_duplicate_indexes"),
        ("partners", "0006_installation_admin_and_retention_notice"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(sqlite_trigger_off, sqlite_trigger_on),
        migrations.AlterModelOptions(
            name="retentionterm",
            options={
                "ordering": ["organisation_id", "kind"],
                "verbose_name": "retention term",
                "verbose_name_plural": "retention terms",
            },
        ),
        migrations.AddField(
            model_name="retentionterm",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="partners.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddField(
            model_name="retentionterm",
            name="pending_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="retentionterm",
            name="pending_from",
            field=models.DateTimeField(blank=True, null=True, verbose_name="in force from"),
        ),
        migrations.AddField(
            model_name="retentionterm",
            name="pending_months",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="new term in months"
            ),
        ),
        migrations.AlterField(
            model_name="retentionterm",
            name="kind",
            field=models.CharField(
                choices=[
                    ("signals", "closed signals"),
                    ("visits", "notes of home visits"),
                    ("referrals", "closed referrals"),
                    ("consents", "ended consents"),
                    ("joint_cases", "closed joint cases"),
                    ("packages", "delivered and declined support packages"),
                    ("history", "household history"),
                    ("emergency", "reasons for emergency access"),
                    ("access_log", "access log"),
                ],
                max_length=20,
                verbose_name="kind of data",
            ),
        ),
        migrations.RunPython(per_organisation, installation_wide),
        migrations.AddConstraint(
            model_name="retentionterm",
            constraint=models.UniqueConstraint(
                fields=("organisation", "kind"), name="retention_term_one_per_organisation"
            ),
        ),
        migrations.AddConstraint(
            model_name="retentionterm",
            constraint=models.UniqueConstraint(
                condition=models.Q(("organisation__isnull", True)),
                fields=("kind",),
                name="retention_term_one_installation_wide",
            ),
        ),
        migrations.AddConstraint(
            model_name="retentionterm",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "access_log"), ("organisation__isnull", True)),
                    models.Q(
                        models.Q(("kind", "access_log"), _negated=True),
                        ("organisation__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="retention_term_controller",
            ),
        ),
        migrations.AddConstraint(
            model_name="retentionterm",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "access_log"), _negated=True),
                    ("pending_months__isnull", True),
                    ("pending_months__gte", 12),
                    _connector="OR",
                ),
                name="retention_access_log_pending_at_least_a_year",
            ),
        ),
        migrations.AddConstraint(
            model_name="retentionterm",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("pending_from__isnull", True), ("pending_months__isnull", True)),
                    models.Q(("pending_from__isnull", False), ("pending_months__gte", 1)),
                    _connector="OR",
                ),
                name="retention_pending_with_its_date",
            ),
        ),
        migrations.RunPython(sqlite_trigger_on, sqlite_trigger_off),
    ]
