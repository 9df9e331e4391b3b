"""A checked batch of VERA-shaped tenancies goes through the household import as a file does
(issue 17, item 3; docs/vera.md): stored, checked against the database, imported in one
transaction, or refused whole with the reasons per record."""

import copy
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.models import AccessLog, Complex, Household, HouseholdEvent
from cases.services.imports import household_import_create, household_import_start
from cases.services.imports.vera import vera_batch_read, vera_record_results
from tests.factories import import_counts, import_run

pytestmark = pytest.mark.django_db
BATCH = json.loads((Path(__file__).parent.parent / "data" / "vera_batch.json").read_text())


@pytest.fixture(autouse=True)
def _eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def actor(admin):
    admin.origin = "203.0.113.7"
    return admin


def send(actor, records):
    return household_import_create(
        actor=actor, file_name="VERA-batch", parsed=vera_batch_read(records)
    )


def residents(reference):
    household = Household.objects.get(tenancy_reference=reference)
    return [
        (r.name, r.is_main_tenant, r.is_co_tenant, r.birth_year)
        for r in household.residents.order_by("name")
    ]


def test_a_checked_batch_is_imported_as_a_file_is(actor, buurten):
    checked = send(actor, BATCH)
    assert checked.status == "validated"
    assert checked.total_rows == 5  # one row per resident, one for a tenancy without any
    assert import_counts(checked) == (3, 0, 0, 0)
    assert checked.ignored_columns == []

    done = import_run(actor, checked)
    assert done.status == "done"
    household = Household.objects.get(corporation=actor.organisation, tenancy_reference="HC-3001")
    assert household.address == "Lindelaan 12-a, 1234 AB Testdorp"
    assert (household.phone, household.email) == ("06 12345678", "k.jansen@example.nl")
    assert household.complex == Complex.objects.get(code="C-17", name="Lindehof")
    assert residents("HC-3001") == [
        ("Karin Jansen", True, False, 1961),
        ("Piet Jansen", False, True, 1959),
        ("Sem Jansen", False, False, 2010),
    ]
    assert residents("HC-3002") == [("Anna de Wit", True, False, None)]
    assert residents("HC-3003") == []
    assert Household.objects.get(tenancy_reference="HC-3003").neighbourhood == buurten[0]
    assert HouseholdEvent.objects.filter(kind="household_imported").count() == 3
    assert AccessLog.objects.filter(action="import").count() == 3

    # The same batch again changes nothing; a moved co-tenant is an update.
    assert import_counts(import_run(actor, send(actor, BATCH))) == (0, 0, 3, 0)
    moved = copy.deepcopy(BATCH)
    moved[0]["relaties"][1]["rollen"] = [{"soort": {"code": "BEW"}}]
    assert import_counts(import_run(actor, send(actor, moved))) == (0, 1, 2, 0)
    assert residents("HC-3001")[1] == ("Piet Jansen", False, False, 1959)


def test_a_batch_with_a_bad_record_imports_nothing_and_says_why_per_record(actor, buurten):
    records = copy.deepcopy(BATCH)
    records[0].update(status={"code": "VER"}, begindatum="1-3-2015")
    records[2]["eenheden"][0]["adres"]["postcode"] = "9999"
    parsed = vera_batch_read(records)
    refused = household_import_create(actor=actor, file_name="VERA-batch", parsed=parsed)
    assert refused.status == "invalid"
    # The first tenancy is one row with two problems: rows are counted once each.
    assert refused.total_rows == 3
    assert refused.invalid_rows == 2
    with pytest.raises(ValidationError):
        household_import_start(actor=actor, household_import=refused)
    assert not Household.objects.exists()
    assert not AccessLog.objects.filter(action="import").exists()

    with translation.override("nl"):
        results = [r.as_dict() for r in vera_record_results(parsed.text, refused.errors)]
    assert [(r["index"], r["huurovereenkomst"], r["geldig"]) for r in results] == [
        (0, "HC-3001", False),
        (1, "HC-3002", True),
        (2, "HC-3003", False),
    ]
    assert [(f["veld"], f["melding"]) for f in results[0]["fouten"]] == [
        (
            "status.code",
            "een huurovereenkomst met status ‘VER’ loopt niet: Inclusie neemt lopende "
            "huurovereenkomsten op (LOP, OPG of VOP)",
        ),
        ("begindatum", "‘1-3-2015’ is geen datum zoals 1961-04-23"),
    ]
    assert [f["veld"] for f in results[2]["fouten"]] == ["eenheden[0].adres.postcode"]
