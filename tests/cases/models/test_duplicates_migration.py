"""Migration 0022 (possible duplicate households, ADR 0026) on a database that holds
households: forward, every household gets its address key and every resident its name key, so
the households imported before are found as duplicates too; back, the columns go."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("cases", "0020_onward_referrals_tenancy_search_residents_common_categories")]
AFTER = [("cases", "0022_duplicate_households")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaf():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_0022_fills_the_keys_of_the_households_and_residents_there_are():
    apps = migrate(BEFORE)
    Organisation = apps.get_model("partners", "Organisation")
    Neighbourhood = apps.get_model("partners", "Neighbourhood")
    Household = apps.get_model("cases", "Household")
    Resident = apps.get_model("cases", "Resident")
    corporation = Organisation.objects.create(name="Woonstichting Oud", kind="corporatie")
    area = Neighbourhood.objects.create(
        name="Oud", kind="buurt", cbs_code="BU00000001", municipality="Oud"
    )
    household = Household.objects.create(
        corporation=corporation,
        tenancy_reference="OUD-1",
        street="Oude Laan",
        house_number=3,
        house_number_addition="2-hoog",
        postcode="9901 AB",
        town="Oud",
        neighbourhood=area,
    )
    Resident.objects.create(household=household, name="Renée  Dijkstra", birth_year=1950)
    try:
        apps = migrate(AFTER)
        Household = apps.get_model("cases", "Household")
        Resident = apps.get_model("cases", "Resident")
        assert Household.objects.get(pk=household.pk).address_key == "9901AB 3 2hoog"
        assert Resident.objects.get(household_id=household.pk).name_key == "renee dijkstra"
        apps = migrate(BEFORE)
        assert apps.get_model("cases", "Household").objects.filter(pk=household.pk).exists()
    finally:
        migrate(leaf())
