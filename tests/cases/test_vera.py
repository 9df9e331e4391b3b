"""Inclusie's signals as VERA signaleringen, and the tables of docs/vera.md held to the code
(issue 17, item 3): every default category is written with a VERA code or says why not, every
state has a VERA status, and what the document shows is what the code does."""

import importlib
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import timezone, translation

from cases import vera
from cases.models import Signal
from cases.services.imports import residents
from cases.services.imports.vera import FIELDS
from cases.workflow import Severity, SignalStatus
from tests.factories import HouseholdFactory, SignalCategoryFactory, SignalFactory

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "vera.md"
DEFAULTS = importlib.import_module("cases.migrations.0003_seed_signal_categories").CATEGORIES
CODE = re.compile(r"`([^`]*)`")


def table(marker: str) -> list[list[str]]:
    """The rows of the table after `<!-- vera:marker -->` in docs/vera.md, as lists of cells."""
    lines = DOC.read_text().split(f"<!-- vera:{marker} -->\n", 1)[1].splitlines()
    rows = []
    for line in lines[2:]:  # the header and its rule
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def first_code(cell: str) -> str | None:
    found = CODE.search(cell)
    return found.group(1) if found else None


# --- the mapping ---------------------------------------------------------------------------


def test_every_default_category_is_written_with_a_vera_code_or_says_why_not():
    for code, *_rest in DEFAULTS:
        mapped = vera.CATEGORY_SIGNALERING[code]
        if mapped.soort is None:
            assert str(mapped.why), code
        else:
            assert mapped.soort in vera.SIGNALERINGSOORT, code
    assert set(vera.CATEGORY_SIGNALERING) == {code for code, *_rest in DEFAULTS}


def test_a_detailsoort_is_one_vera_places_under_its_soort():
    for code, mapped in vera.CATEGORY_SIGNALERING.items():
        if mapped.detail:
            assert vera.SIGNALERINGDETAILSOORT[mapped.detail][1] == mapped.soort, code


def test_every_state_of_a_signal_has_a_vera_status():
    assert set(vera.STATUS_SIGNALERING) == set(SignalStatus.values)
    assert set(vera.STATUS_SIGNALERING.values()) <= set(vera.SIGNALERINGSTATUS)


def test_the_resident_roles_are_the_imports_roles():
    assert set(vera.RESIDENT_ROLES.values()) == set(residents.ROLES)
    assert set(vera.RESIDENT_ROLES) <= set(vera.RELATIEROLSOORT)


# --- the signaleringen ---------------------------------------------------------------------


@pytest.mark.django_db
def test_signals_become_vera_signaleringen_from_instances_or_values():
    household = HouseholdFactory(tenancy_reference="HC-3001")
    logged = datetime(2026, 11, 2, 10, 15, 30, tzinfo=timezone.get_current_timezone())
    arrears = SignalFactory(
        household=household,
        category=SignalCategoryFactory(code="huurachterstand"),
        severity=Severity.HOOG,
        created_at=logged,
    )
    resolved = SignalFactory(
        household=household,
        category=SignalCategoryFactory(code="overlast"),
        status=SignalStatus.OPGELOST,
        status_changed_at=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
    )
    repair = SignalFactory(
        household=household, category=SignalCategoryFactory(code="technisch-onderhoud")
    )
    signals = Signal.objects.filter(household=household).order_by("id")
    from_values = vera.signaleringen_of(signals.values(*vera.SIGNAL_VALUES))
    from_instances = vera.signaleringen_of(signals.select_related("category", "household"))
    assert from_values == from_instances

    first, second = from_values.signaleringen
    assert first == {
        "id": str(arrears.pk),
        "soort": {"code": "SCH", "naam": "Huurschuld"},
        "detailSoort": {"code": "BET", "naam": "Betalingsachterstand"},
        "status": {"code": "ACT", "naam": "Actief"},
        "begindatum": "2026-11-02T09:15:30Z",  # UTC, as VERA writes it
        "extra-attributen": [
            {"naam": "categorie", "waarde": "huurachterstand"},
            {"naam": "ernst", "waarde": "hoog"},
            {"naam": "huurovereenkomst", "waarde": "HC-3001"},
        ],
    }
    assert (second["id"], second["soort"]["code"], second["status"]["code"]) == (
        str(resolved.pk),
        "OVE",
        "VER",
    )
    assert "detailSoort" not in second
    assert second["einddatum"] == "2026-12-01T08:00:00Z"
    for item in from_values.signaleringen:
        assert vera.DATE_TIME.match(item["begindatum"])
        assert "description" not in str(item) and "Gezien bij huisbezoek" not in str(item)
    # A repair is no signalering: left out, said why.
    with translation.override("nl"):
        left_out = vera.signaleringen_of(signals.values(*vera.SIGNAL_VALUES)).left_out
    assert left_out == [
        {
            "id": repair.pk,
            "category": "technisch-onderhoud",
            "why": "Een gebrek aan de woning is in VERA een onderhoudsverzoek, geen signalering.",
        }
    ]


def test_a_category_added_later_is_left_out_until_the_table_names_it():
    signal = {
        "id": 7,
        "category__code": "schulden-buiten-huur",
        "severity": "laag",
        "status": "open",
        "created_at": timezone.now(),
        "status_changed_at": timezone.now(),
        "household__tenancy_reference": "HC-1",
    }
    export = vera.signaleringen_of([signal])
    assert export.signaleringen == []
    assert export.left_out[0]["category"] == "schulden-buiten-huur"


# --- docs/vera.md shows the code's tables ----------------------------------------------------


def test_the_document_names_the_vera_version_and_commits_the_code_names():
    text = DOC.read_text()
    for named in (vera.VERSION, vera.OPENAPI_COMMIT, vera.REFERENCE_DATA_COMMIT):
        assert named in text


def test_the_documents_category_table_is_the_codes():
    shown = {}
    for category, soort, detail, _why in table("categories"):
        shown[first_code(category)] = (
            None if "not written" in soort else first_code(soort),
            first_code(detail) or "",
        )
    assert shown == {
        code: (mapped.soort, mapped.detail) for code, mapped in vera.CATEGORY_SIGNALERING.items()
    }


def test_the_documents_state_table_is_the_codes():
    shown = {first_code(state): first_code(status) for state, status in table("states")}
    assert shown == {str(state): code for state, code in vera.STATUS_SIGNALERING.items()}


def test_the_documents_field_table_is_the_codes():
    shown = set()
    for path, column, name, _what in table("fields"):
        source, schema = CODE.findall(name) if name.startswith("taken") else ("", "")
        shown.add((first_code(path), first_code(column) or "", source, schema))
    assert shown == {(f.path, f.column, f.source, f.schema) for f in FIELDS}
    assert len(table("fields")) == len(FIELDS)
