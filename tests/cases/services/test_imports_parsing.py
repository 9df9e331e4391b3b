"""Reading a corporation's CSV export of households (issue 3, item 6; docs/import.md): its
encoding, delimiter and columns, and every bad row with its line, column and reason."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.models import Complex, Household, HouseholdEvent, HouseholdImport, Resident
from cases.services.imports import household_import_start
from cases.services.imports.parsing import FileError, error_text, parse
from tests.factories import import_counts, import_file, import_run, import_upload

Status = HouseholdImport.Status
Kind = HouseholdEvent.Kind


@pytest.fixture(autouse=True)
def _eager(settings):
    """Imports run in the request unless a test says otherwise (as in the embedded mode)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def actor(admin):
    admin.origin = "203.0.113.7"
    return admin


def test_a_good_comma_separated_utf8_file_is_imported(actor, corporation, buurten):
    wijk, buurt = buurten
    household_import = import_upload(actor, import_file("good_comma_utf8.csv"))
    assert household_import.status == Status.VALIDATED
    assert (household_import.encoding, household_import.delimiter) == ("utf-8", ",")
    assert household_import.total_rows == 3
    assert import_counts(household_import) == (3, 0, 0, 0)
    assert [row["tenancy_reference"] for row in household_import.sample] == [
        "HC-1001",
        "HC-1002",
        "HC-1003",
    ]

    household_import = import_run(actor, household_import)

    assert household_import.status == Status.DONE
    assert import_counts(household_import) == (3, 0, 0, 0)
    assert household_import.content == "" and household_import.sample == []
    first = Household.objects.get(corporation=corporation, tenancy_reference="HC-1001")
    assert (first.street, first.house_number, first.postcode, first.town) == (
        "Lindelaan",
        12,
        "1234 AB",
        "Testdorp",
    )
    assert (first.neighbourhood, first.phone, first.email) == (
        buurt,
        "06 12345678",
        "fam.jansen@example.org",
    )
    complex_ = Complex.objects.get(corporation=corporation, code="C-01")
    assert (complex_.name, complex_.neighbourhood) == ("De Linden", buurt)
    second = Household.objects.get(tenancy_reference="HC-1002")
    assert (second.house_number_addition, second.complex, second.email) == ("A", complex_, "")
    assert Household.objects.get(tenancy_reference="HC-1003").neighbourhood == wijk
    tenants = Resident.objects.filter(is_main_tenant=True)
    assert sorted(tenants.values_list("name", "birth_year")) == [
        ("Bakker, Pieter", None),
        ("Karin Jansen", 1961),
        ("Zoë de Wit", 1990),
    ]
    assert HouseholdEvent.objects.filter(kind=Kind.HOUSEHOLD_IMPORTED).count() == 3
    event = HouseholdEvent.objects.get(household=first)
    assert (event.user_id, event.organisation_id) == (actor.user_id, corporation.pk)
    assert event.data == {"source": "import", "import": household_import.pk}


def test_a_semicolon_separated_windows_1252_file_keeps_its_accents(actor, buurten):
    household_import = import_upload(actor, import_file("semicolon_cp1252.csv"))
    assert (household_import.encoding, household_import.delimiter) == ("windows-1252", ";")
    assert household_import.status == Status.VALIDATED

    import_run(actor, household_import)

    household = Household.objects.get(tenancy_reference="W-2001")
    assert (household.street, household.house_number_addition) == ("Façadestraat", "bis")
    assert household.residents.get().name == "Zoë Çelik"
    assert Household.objects.get(tenancy_reference="W-2002").postcode == "2345 BC"
    assert Resident.objects.get(name="Renée Müller").birth_year is None


def test_a_file_with_bom_and_columns_in_another_order_and_case(actor, buurten):
    household_import = import_upload(actor, import_file("bom_utf8.csv"))
    assert household_import.encoding == "utf-8"
    assert household_import.status == Status.VALIDATED, household_import.errors
    assert household_import.ignored_columns == ["opmerking"]

    import_run(actor, household_import)

    first = Household.objects.get(tenancy_reference="B-1")
    assert (first.street, first.house_number, first.postcode) == ("Kastanjeplein", 1, "3456 DE")
    assert first.residents.get().name == "Anouk Smit"
    # Lower-case CBS code accepted; no main tenant given, so no resident.
    assert not Household.objects.get(tenancy_reference="B-2").residents.exists()


def test_every_bad_row_is_reported_with_its_line_column_and_reason(actor, buurten):
    household_import = import_upload(actor, import_file("bad_rows.csv"))

    assert household_import.status == Status.INVALID
    assert household_import.total_rows == 10
    assert household_import.invalid_rows == 8
    found = {(e["row"], e["column"], e["code"]) for e in household_import.errors}
    assert found == {
        (3, "postcode", "postcode"),
        (4, "huisnummer", "house_number"),
        (5, "buurtcode", "neighbourhood"),
        (6, "email", "email"),
        (7, "huurcontract", "duplicate"),
        (8, "huurcontract", "required"),
        (9, "geboortejaar_hoofdhuurder", "birth_year"),
        (10, "", "field_count"),
    }
    # A file that cannot be imported is kept as its errors only, not as a tenant list.
    assert household_import.content == "" and household_import.sample == []
    with translation.override("en"):
        by_line = {e["row"]: error_text(e) for e in household_import.errors}
        assert by_line[3] == (
            "Line 3: postcode: ‘12345’ is not a Dutch postcode (four digits and two letters, "
            "like 1234 AB)"
        )
        assert by_line[7] == "Line 7: huurcontract: tenancy reference ‘X-1’ also appears on line 2"
        assert by_line[10] == "Line 10: this line has 4 fields where the header has 9"
    with pytest.raises(ValidationError):
        household_import_start(actor=actor, household_import=household_import)
    assert not Household.objects.exists()


def test_an_excel_sep_line_sets_the_delimiter_and_line_numbers_stay_the_files(actor, buurten):
    content = (
        b"sep=,\r\n"
        b"huurcontract,straat,huisnummer,postcode,plaats,buurtcode\r\n"
        b'A,"Laan 1945; de Hoek",1,1234 AB,Testdorp,BU99010101\r\n'
        b"B,Laan,2,1234,Testdorp,BU99010101\r\n"
    )
    household_import = import_upload(actor, content)
    assert household_import.delimiter == ","
    assert [(e["row"], e["column"]) for e in household_import.errors] == [(4, "postcode")]
    line, values = parse(content).rows[0]
    assert (line, values["straat"]) == (3, "Laan 1945; de Hoek")


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused():
    with pytest.raises(FileError) as refused:
        parse(b"huurcontract;straat\n\x81\x8d\x8f;x\n")
    assert refused.value.code == "binary"


def test_two_names_for_one_complex_is_an_error(actor, buurten):
    content = (
        b"huurcontract,straat,huisnummer,postcode,plaats,buurtcode,complexnummer,complexnaam\n"
        b"A,Straat,1,1234 AB,Testdorp,BU99010101,C-1,De Linden\n"
        b"B,Straat,2,1234 AB,Testdorp,BU99010101,C-1,De Eiken\n"
        b"C,Straat,3,1234 AB,Testdorp,BU99010101,C-1,\n"
    )
    household_import = import_upload(actor, content)
    assert [(e["row"], e["code"]) for e in household_import.errors] == [(3, "complex_name")]
