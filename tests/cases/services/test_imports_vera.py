"""A batch of tenancies in VERA's shape (issue 17, item 3; docs/vera.md): read into the rows of
the CSV import, checked by the same rules, and each problem told per record, with the VERA
field, in Dutch. Pure: no database (the import of a checked batch: test_imports_vera_import)."""

import copy
import json
from pathlib import Path

import pytest
from django.utils import translation

from cases.services.imports.parsing import FileError, parse_text, validate_rows
from cases.services.imports.vera import vera_batch_read, vera_record_results

BATCH = json.loads((Path(__file__).parent.parent / "data" / "vera_batch.json").read_text())
NEIGHBOURHOODS = {"BU99010101": 1, "WK990101": 2}


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def batch():
    return copy.deepcopy(BATCH)


def check(records):
    """The rows the import would take, and the results per record."""
    parsed = vera_batch_read(records)
    rows, errors, invalid = validate_rows(parsed, NEIGHBOURHOODS)
    return rows, errors, invalid, vera_record_results(parsed.text, errors)


def problems(records, index=None):
    *_rest, results = check(records)
    found = [(r.index, p.field, p.code) for r in results for p in r.problems]
    return found if index is None else [(f, c) for i, f, c in found if i == index]


def test_a_vera_batch_becomes_the_rows_the_csv_import_checks():
    rows, errors, invalid, results = check(batch())
    assert (errors, invalid) == ([], 0)
    assert [r.valid for r in results] == [True, True, True]
    first, second, third = rows
    assert (first.tenancy_reference, first.street, first.house_number) == (
        "HC-3001",
        "Lindelaan",
        12,
    )
    # huisletter and huisnummerToevoeging are Inclusie's one addition; the postcode normalised.
    assert (first.house_number_addition, first.postcode, first.town) == ("a", "1234 AB", "Testdorp")
    assert (first.neighbourhood_code, first.neighbourhood_id) == ("BU99010101", 1)
    # The complex is the unit's financial cluster (FIN), not its maintenance cluster.
    assert (first.complex_code, first.complex_name) == ("C-17", "Lindehof")
    # The residents: Huurder, Medehuurder, Medebewoner; roepnaam before voornaam; the year of
    # birth only. The guardian (a company, Bewindvoerder) is no resident.
    assert [(p.name, p.role, p.birth_year) for p in first.people] == [
        ("Karin Jansen", "hoofdhuurder", 1961),
        ("Piet Jansen", "medehuurder", 1959),
        ("Sem Jansen", "bewoner", 2010),
    ]
    # Phone and e-mail of the household are the main tenant's contactgegevens.
    assert (first.phone, first.email) == ("06 12345678", "k.jansen@example.nl")
    # A co-tenant whose role ended in 2021 is not listed; tussenvoegsels go in the name.
    assert [(p.name, p.role) for p in second.people] == [("Anna de Wit", "hoofdhuurder")]
    assert (second.house_number, second.house_number_addition) == (14, "2")
    assert (second.phone, second.complex_code) == ("010 7654321", "")
    # No buurt: the wijk's CBS code; no relaties: a household with nobody listed yet.
    assert (third.neighbourhood_code, third.people) == ("WK990101", [])


def test_the_rows_read_back_from_their_text_as_a_stored_file_is():
    """An import stores the text of its file and reads it again when it runs."""
    parsed = vera_batch_read(batch())
    again = parse_text(parsed.text, "utf-8")
    assert again.rows == parsed.rows
    assert again.columns == parsed.columns


def test_a_bad_record_is_told_by_index_reference_and_field_and_nothing_is_usable():
    records = batch()
    records[0]["eenheden"][0]["adres"]["postcode"] = "12345"
    records[2]["relaties"] = [
        {"achternaam": "Bakker", "geboortedatum": "1890-01-01", "rollen": [{"soort": "HUU"}]}
    ]
    rows, errors, invalid, results = check(records)
    assert invalid == 4  # the import refuses a batch with any invalid row: all or nothing
    first = results[0].as_dict()
    assert first["index"] == 0 and first["huurovereenkomst"] == "HC-3001"
    # The postcode is on each of the household's three rows: said once.
    assert first["geldig"] is False
    assert first["fouten"] == [
        {
            "veld": "eenheden[0].adres.postcode",
            "code": "postcode",
            "melding": "‘12345’ is geen Nederlandse postcode (vier cijfers en twee letters, "
            "zoals 1234 AB)",
        }
    ]
    assert results[1].valid
    assert [(p.field, p.code) for p in results[2].problems] == [
        ("relaties[0].geboortedatum", "birth_year")
    ]


@pytest.mark.parametrize(
    ("change", "field", "code", "dutch"),
    [
        (
            lambda r: r[0]["relaties"][1]["rollen"][0].update(soort={"code": "XYZ"}),
            "relaties[1].rollen[0].soort.code",
            "vera_code",
            "‘XYZ’ is geen code uit de VERA-lijst RELATIEROLSOORT",
        ),
        (
            lambda r: r[0].update(status={"code": "BEE"}),
            "status.code",
            "vera_not_running",
            "een huurovereenkomst met status ‘BEE’ loopt niet",
        ),
        (
            lambda r: r[0].update(einddatum="2020-06-30"),
            "einddatum",
            "vera_ended",
            "de huurovereenkomst is geëindigd op 2020-06-30",
        ),
        (
            lambda r: r[0].update(soort={"code": "SER"}),
            "soort.code",
            "vera_not_tenancy",
            "‘SER’ is geen huurovereenkomst (HUU)",
        ),
        (
            lambda r: r[0]["eenheden"].append(copy.deepcopy(r[1]["eenheden"][0])),
            "eenheden",
            "vera_units",
            "noemt 2 eenheden",
        ),
        (
            lambda r: r[0]["eenheden"][0].update(soort={"code": "PAR"}),
            "eenheden[0].soort.code",
            "vera_not_housing",
            "‘PAR’ is geen woonruimte (WOO)",
        ),
        (
            lambda r: r[0].update(begindatum="2015-02-30"),
            "begindatum",
            "vera_date",
            "‘2015-02-30’ is geen datum zoals 1961-04-23",
        ),
        (
            lambda r: r[0]["eenheden"][0]["adresseerbaarObjectBasisregistratie"].update(
                bagIdentificatie="0599-0100"
            ),
            "eenheden[0].adresseerbaarObjectBasisregistratie.bagIdentificatie",
            "vera_bag",
            "‘0599-0100’ is geen BAG-identificatie (16 cijfers)",
        ),
        (
            lambda r: r[0]["eenheden"][0]["adres"].update(straatnaam={"naam": "Lindelaan"}),
            "eenheden[0].adres.straatnaam",
            "vera_text",
            "is geen tekst",
        ),
        (
            lambda r: r[0].update(relaties={"soort": "NAT"}),
            "relaties",
            "vera_list",
            "is geen lijst",
        ),
        (
            lambda r: r[0]["relaties"][0].pop("achternaam"),
            "relaties[0].achternaam",
            "vera_surname",
            "een bewoner heeft een achternaam nodig",
        ),
        (
            lambda r: r[0]["relaties"][0]["woonsituatie"].update(soort="ABC"),
            "relaties[0].woonsituatie.soort",
            "vera_code",
            "‘ABC’ is geen code uit de VERA-lijst WOONSITUATIESOORT",
        ),
    ],
)
def test_each_vera_problem_names_its_record_and_field_in_dutch(change, field, code, dutch):
    records = batch()
    change(records)
    *_rest, results = check(records)
    assert [(p.field, p.code) for p in results[0].problems] == [(field, code)]
    assert dutch in results[0].problems[0].message
    assert results[1].valid and results[2].valid


def test_the_same_tenancy_twice_and_a_record_that_is_no_object_are_told_on_their_index():
    records = [*batch(), copy.deepcopy(BATCH[1]), "HC-3009"]
    *_rest, results = check(records)
    assert [(r.index, r.reference, r.valid) for r in results] == [
        (0, "HC-3001", True),
        (1, "HC-3002", True),
        (2, "HC-3003", True),
        (3, "HC-3002", False),
        (4, "", False),
    ]
    assert results[3].problems[0].message == (
        "huurovereenkomst ‘HC-3002’ staat ook op index 1 van deze batch"
    )
    assert [(p.field, p.code) for p in results[4].problems] == [("", "vera_record")]


def test_problems_that_point_at_another_row_name_the_person_or_the_tenancy():
    records = batch()
    records[0]["relaties"][2]["rollen"] = [{"soort": {"code": "HUU"}}]
    records[0]["relaties"].append(
        {"roepnaam": "karin", "achternaam": "JANSEN", "rollen": [{"soort": "BEW"}]}
    )
    records[1]["eenheden"][0]["clusters"] = [
        {"code": "C-17", "naam": "Lindehof Oost", "soort": "FIN"}
    ]
    assert problems(records, 0) == [
        ("relaties[2].rollen", "second_main_tenant"),
        ("relaties[4].achternaam", "duplicate_person"),
    ]
    *_rest, results = check(records)
    assert [p.message for p in results[0].problems] == [
        "deze huurovereenkomst noemt de hoofdhuurder (Huurder, HUU) al bij relaties[0]",
        "‘karin JANSEN’ staat twee keer bij deze huurovereenkomst: ook als relaties[0]",
    ]
    assert [p.message for p in results[1].problems] == [
        "complex ‘C-17’ heet ‘Lindehof’ bij huurovereenkomst ‘HC-3001’ van deze batch"
    ]


def test_relations_that_do_not_live_there_are_not_residents_but_their_codes_are_checked():
    records = batch()
    guardian = records[0]["relaties"][3]
    assert [p.name for p in check(records)[0][0].people] == [
        "Karin Jansen",
        "Piet Jansen",
        "Sem Jansen",
    ]
    guardian["soort"] = {"code": "BV"}
    assert problems(records, 0) == [("relaties[3].soort.code", "vera_code")]


@pytest.mark.parametrize(
    ("records", "code"),
    [({"huurovereenkomsten": []}, "vera_batch"), ([], "vera_empty"), ("HC-1", "vera_batch")],
)
def test_a_batch_that_is_no_list_of_tenancies_is_refused_whole(records, code):
    with pytest.raises(FileError) as refused:
        vera_batch_read(records)
    assert refused.value.code == code
