"""Migration 0016 (retention per data controller) on a database that holds data (issue 15,
review): forward, every organisation gets the installation's old terms as its own, and a name
only on its own organisation's copy; back, one term per kind again, the longest kept."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("cases", "0015_access_log_without_duplicate_indexes"),
    ("partners", "0005_notification_retries_and_dedupe_index"),
]
AFTER = [("cases", "0016_retention_per_data_controller")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaf():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_0016_runs_forward_and_back_on_a_database_with_organisations_and_terms():
    apps = migrate(BEFORE)
    Organisation = apps.get_model("partners", "Organisation")
    User = apps.get_model("partners", "User")
    Membership = apps.get_model("partners", "Membership")
    RetentionTerm = apps.get_model("cases", "RetentionTerm")
    corporation = Organisation.objects.create(name="Woonstichting Oud", kind="corporatie")
    welfare = Organisation.objects.create(name="Welzijn Oud", kind="welzijn")
    someone = User.objects.create(email="beheer@oud.example", name="Bea Beheer")
    Membership.objects.create(user=someone, organisation=welfare, role="beheerder")
    RetentionTerm.objects.all().delete()
    RetentionTerm.objects.create(kind="signals", months=6, updated_by=someone)
    RetentionTerm.objects.create(kind="access_log", months=60, updated_by=someone)
    try:
        apps = migrate(AFTER)
        RetentionTerm = apps.get_model("cases", "RetentionTerm")
        copies = {
            t.organisation_id: (t.months, t.updated_by_id)
            for t in RetentionTerm.objects.filter(kind="signals")
        }
        assert copies == {corporation.pk: (6, None), welfare.pk: (6, someone.pk)}
        log = RetentionTerm.objects.get(kind="access_log")
        assert (log.organisation_id, log.months, log.updated_by_id) == (None, 60, None)
        RetentionTerm.objects.filter(organisation_id=corporation.pk, kind="signals").update(
            months=9
        )
        apps = migrate(BEFORE)
        RetentionTerm = apps.get_model("cases", "RetentionTerm")
        assert dict(RetentionTerm.objects.values_list("kind", "months")) == {
            "signals": 9,
            "access_log": 60,
        }
    finally:
        migrate(leaf())
