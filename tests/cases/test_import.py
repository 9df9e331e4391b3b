"""Import of households from a corporation's CSV export (issue 3, item 6; docs/import.md)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cases import tasks
from cases.models import (
    AccessLog,
    Complex,
    Household,
    HouseholdEvent,
    HouseholdImport,
    Resident,
)
from cases.selectors import households as filter_choices
from cases.services import imports as service
from cases.services.imports import (
    BATCH_SIZE,
    _import_batch,
    failure_message,
    household_import_create,
    household_import_start,
    household_imports_sweep,
    progress,
)
from cases.services.imports.parsing import FileError, error_text, parse
from cases.services.imports.progress import progress_get
from partners.models import Membership, Neighbourhood
from tests.factories import MembershipFactory, NeighbourhoodFactory

DATA = Path(__file__).parent / "data"
Status = HouseholdImport.Status
Kind = HouseholdEvent.Kind


HEADER = (
    "huurcontract;straat;huisnummer;toevoeging;postcode;plaats;buurtcode;complexnummer;"
    "complexnaam;telefoon;email;hoofdhuurder;geboortejaar_hoofdhuurder"
)


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def csv_rows(count: int, prefix: str = "R", phone: str = "06 11111111") -> bytes:
    lines = [HEADER]
    for i in range(count):
        lines.append(
            f"{prefix}-{i};Teststraat;{i % 500 + 1};;1234 AB;Testdorp;BU99010101;C-{i // 50};"
            f"Complex {i // 50};{phone};;Huurder {i};1970"
        )
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def buurten(db):
    wijk = NeighbourhoodFactory(
        cbs_code="WK990101", name="Centrum", kind=Neighbourhood.Kind.WIJK, municipality="Testdorp"
    )
    buurt = NeighbourhoodFactory(
        cbs_code="BU99010101",
        name="Oude Haven",
        kind=Neighbourhood.Kind.BUURT,
        parent=wijk,
        municipality="Testdorp",
    )
    return wijk, buurt


@pytest.fixture(autouse=True)
def _eager(settings):
    """Imports run in the request unless a test says otherwise (as in the embedded mode)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def actor(admin):
    admin.origin = "203.0.113.7"
    return admin


def upload(actor, content: bytes, name: str = "huurders.csv") -> HouseholdImport:
    return household_import_create(actor=actor, file_name=name, parsed=parse(content))


def run(actor, household_import: HouseholdImport) -> HouseholdImport:
    """Confirm as the people do; CELERY_TASK_ALWAYS_EAGER (the test settings) runs it now."""
    household_import_start(actor=actor, household_import=household_import)
    household_import.refresh_from_db()
    return household_import


def counts(household_import):
    return (
        household_import.new_rows,
        household_import.updated_rows,
        household_import.unchanged_rows,
        household_import.invalid_rows,
    )


# --- Reading files -------------------------------------------------------------------------------


def test_a_good_comma_separated_utf8_file_is_imported(actor, corporation, buurten):
    wijk, buurt = buurten
    household_import = upload(actor, data("good_comma_utf8.csv"))
    assert household_import.status == Status.VALIDATED
    assert (household_import.encoding, household_import.delimiter) == ("utf-8", ",")
    assert household_import.total_rows == 3
    assert counts(household_import) == (3, 0, 0, 0)
    assert [row["tenancy_reference"] for row in household_import.sample] == [
        "HC-1001",
        "HC-1002",
        "HC-1003",
    ]

    household_import = run(actor, household_import)

    assert household_import.status == Status.DONE
    assert counts(household_import) == (3, 0, 0, 0)
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
    household_import = upload(actor, data("semicolon_cp1252.csv"))
    assert (household_import.encoding, household_import.delimiter) == ("windows-1252", ";")
    assert household_import.status == Status.VALIDATED

    run(actor, household_import)

    household = Household.objects.get(tenancy_reference="W-2001")
    assert (household.street, household.house_number_addition) == ("Façadestraat", "bis")
    assert household.residents.get().name == "Zoë Çelik"
    assert Household.objects.get(tenancy_reference="W-2002").postcode == "2345 BC"
    assert Resident.objects.get(name="Renée Müller").birth_year is None


def test_a_file_with_bom_and_columns_in_another_order_and_case(actor, buurten):
    household_import = upload(actor, data("bom_utf8.csv"))
    assert household_import.encoding == "utf-8"
    assert household_import.status == Status.VALIDATED, household_import.errors
    assert household_import.ignored_columns == ["opmerking"]

    run(actor, household_import)

    first = Household.objects.get(tenancy_reference="B-1")
    assert (first.street, first.house_number, first.postcode) == ("Kastanjeplein", 1, "3456 DE")
    assert first.residents.get().name == "Anouk Smit"
    # Lower-case CBS code accepted; no main tenant given, so no resident.
    assert not Household.objects.get(tenancy_reference="B-2").residents.exists()


def test_every_bad_row_is_reported_with_its_line_column_and_reason(actor, buurten):
    household_import = upload(actor, data("bad_rows.csv"))

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
    household_import = upload(actor, content)
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
    household_import = upload(actor, content)
    assert [(e["row"], e["code"]) for e in household_import.errors] == [(3, "complex_name")]


# --- Re-importing --------------------------------------------------------------------------------


def test_importing_again_updates_by_tenancy_reference_and_leaves_unchanged_rows_alone(
    actor, corporation, buurten
):
    run(actor, upload(actor, data("good_comma_utf8.csv")))
    untouched = Household.objects.get(tenancy_reference="HC-1002")
    access_before = AccessLog.objects.count()
    changed_file = data("good_comma_utf8.csv").decode()
    changed_file = changed_file.replace("06 12345678", "06 87654321")
    changed_file = changed_file.replace("Karin Jansen", "Karin Jansen-de Boer")
    changed_file = changed_file.replace("5678 CD", "5678 CE")
    changed_file += "HC-1004,Eikenweg,5,,5678 CE,Testdorp,WK990101,,,,,,\r\n"

    household_import = upload(actor, changed_file.encode())
    assert counts(household_import) == (1, 2, 1, 0)
    states = {row["tenancy_reference"]: row["state"] for row in household_import.sample}
    assert states == {
        "HC-1001": "updated",
        "HC-1002": "unchanged",
        "HC-1003": "updated",
        "HC-1004": "new",
    }

    household_import = run(actor, household_import)

    assert counts(household_import) == (1, 2, 1, 0)
    assert Household.objects.filter(corporation=corporation).count() == 4
    first = Household.objects.get(tenancy_reference="HC-1001")
    assert first.phone == "06 87654321"
    assert first.residents.get(is_main_tenant=True).name == "Karin Jansen-de Boer"
    assert Resident.objects.filter(household=first).count() == 1
    correction = HouseholdEvent.objects.get(household=first, kind=Kind.DATA_CORRECTED)
    assert correction.data == {
        "fields": ["phone", "main_tenant"],
        "source": "import",
        "import": household_import.pk,
    }
    third = HouseholdEvent.objects.get(
        household__tenancy_reference="HC-1003", kind=Kind.DATA_CORRECTED
    )
    assert third.data["fields"] == ["postcode"]
    # The unchanged household is not touched: no update, no event, no access-log row.
    untouched_now = Household.objects.get(pk=untouched.pk)
    assert untouched_now.updated_at == untouched.updated_at
    assert HouseholdEvent.objects.filter(household=untouched).count() == 1
    new_rows = AccessLog.objects.order_by("id")[access_before:]
    assert AccessLog.objects.count() - access_before == 3
    assert untouched.pk not in {row.household_id for row in new_rows}


def test_columns_absent_from_the_file_are_left_as_they_are(actor, buurten):
    run(actor, upload(actor, data("good_comma_utf8.csv")))
    only_required = (
        b"huurcontract;straat;huisnummer;toevoeging;postcode;plaats;buurtcode\n"
        b"HC-1001;Lindelaan;12;;1234 AB;Testdorp;BU99010101\n"
        b"HC-1002;Lindelaan;14;A;1234 AB;Testdorp;BU99010101\n"
    )

    household_import = run(actor, upload(actor, only_required))

    assert counts(household_import) == (0, 0, 2, 0)
    first = Household.objects.get(tenancy_reference="HC-1001")
    assert (first.phone, first.complex.code) == ("06 12345678", "C-01")
    assert first.residents.get().name == "Karin Jansen"


def test_an_empty_cell_clears_an_optional_field_but_never_removes_a_resident(actor, buurten):
    run(actor, upload(actor, data("good_comma_utf8.csv")))
    content = data("good_comma_utf8.csv").decode()
    content = content.replace("06 12345678,fam.jansen@example.org,Karin Jansen,1961", ",,,")

    run(actor, upload(actor, content.encode()))

    first = Household.objects.get(tenancy_reference="HC-1001")
    assert (first.phone, first.email) == ("", "")
    assert first.residents.get().name == "Karin Jansen"
    event = HouseholdEvent.objects.get(household=first, kind=Kind.DATA_CORRECTED)
    assert event.data["fields"] == ["phone", "email"]


# --- All or nothing ------------------------------------------------------------------------------


def test_nothing_is_half_imported_when_the_database_refuses_a_row_midway(
    actor, buurten, monkeypatch
):
    monkeypatch.setattr(service, "BATCH_SIZE", 2)
    original = _import_batch
    calls = []

    def failing_second_batch(household_import, actor, batch, *args):
        calls.append(len(batch))
        if len(calls) == 2:
            batch[0].house_number = 0  # violates household_number_positive in the database
        return original(household_import, actor, batch, *args)

    monkeypatch.setattr(service, "_import_batch", failing_second_batch)
    household_import = upload(actor, csv_rows(5))

    household_import = run(actor, household_import)

    assert calls == [2, 2]  # the first batch was written before the second failed
    assert household_import.status == Status.FAILED
    assert household_import.failure_reason == "unexpected"
    with translation.override("en"):
        assert failure_message(household_import).startswith(
            "The import stopped because of an unexpected error. Nothing was imported"
        )
    assert not Household.objects.exists()
    assert not Complex.objects.exists()
    assert not Resident.objects.exists()
    assert not HouseholdEvent.objects.exists()
    assert not AccessLog.objects.exists()
    assert progress_get(household_import.pk) is None


def test_rows_that_became_invalid_since_the_check_fail_the_whole_import(actor, buurten):
    gone = NeighbourhoodFactory(cbs_code="BU99019999", kind=Neighbourhood.Kind.BUURT)
    content = data("good_comma_utf8.csv") + b"HC-1009,Weg,1,,1234 AB,Testdorp,BU99019999,,,,,,\r\n"
    household_import = upload(actor, content)
    assert household_import.status == Status.VALIDATED
    gone.delete()

    household_import = run(actor, household_import)

    assert household_import.status == Status.FAILED
    assert household_import.failure_reason == "invalid_rows"
    assert [(e["row"], e["code"]) for e in household_import.errors] == [(5, "neighbourhood")]
    assert not Household.objects.exists()


# --- The task ------------------------------------------------------------------------------------


def test_the_task_is_queued_after_commit_and_is_safe_to_run_twice(
    actor, buurten, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr(tasks.household_import, "delay", queued.append)
    household_import = upload(actor, data("good_comma_utf8.csv"))

    with django_capture_on_commit_callbacks(execute=True):
        household_import_start(actor=actor, household_import=household_import)

    assert queued == [household_import.pk]
    assert not Household.objects.exists()  # not in the request
    tasks.household_import(household_import.pk)
    tasks.household_import(household_import.pk)

    household_import.refresh_from_db()
    assert household_import.status == Status.DONE
    assert Household.objects.count() == 3
    assert HouseholdEvent.objects.count() == 3
    assert AccessLog.objects.count() == 3
    with pytest.raises(ValidationError):
        household_import_start(actor=actor, household_import=household_import)


def test_the_task_does_nothing_for_an_invalid_file(actor, buurten):
    household_import = upload(actor, data("bad_rows.csv"))
    tasks.household_import(household_import.pk)
    household_import.refresh_from_db()
    assert household_import.status == Status.INVALID
    assert not Household.objects.exists()


def test_the_task_does_nothing_for_a_file_nobody_confirmed(actor, buurten):
    household_import = upload(actor, data("good_comma_utf8.csv"))
    tasks.household_import(household_import.pk)
    household_import.refresh_from_db()
    assert household_import.status == Status.VALIDATED
    assert not Household.objects.exists()


def test_progress_is_kept_in_the_cache_batch_by_batch(actor, buurten, monkeypatch):
    monkeypatch.setattr(service, "BATCH_SIZE", 2)
    seen = []
    original = progress.progress_set

    def record(import_id, done, total):
        original(import_id, done, total)
        seen.append(progress_get(import_id))

    monkeypatch.setattr(progress, "progress_set", record)
    household_import = run(actor, upload(actor, csv_rows(5)))

    assert [(p["done"], p["total"]) for p in seen] == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert seen[2]["percent"] == 80
    assert progress_get(household_import.pk) is None  # cleared when finished


def test_the_sweep_queues_lost_tasks_and_empties_old_files(actor, buurten, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.household_import, "delay", queued.append)
    lost = upload(actor, data("good_comma_utf8.csv"))
    HouseholdImport.objects.filter(pk=lost.pk).update(
        queued_at=timezone.now() - timedelta(minutes=11)
    )
    forgotten = upload(actor, data("good_comma_utf8.csv"))
    HouseholdImport.objects.filter(pk=forgotten.pk).update(
        created_at=timezone.now() - timedelta(days=8)
    )

    assert household_imports_sweep() == {"requeued": 1, "expired": 1, "emptied": 0}

    assert queued == [lost.pk]
    forgotten.refresh_from_db()
    assert (forgotten.status, forgotten.failure_reason) == (Status.FAILED, "expired")
    assert forgotten.content == ""


# --- Access log ----------------------------------------------------------------------------------


def test_one_access_log_row_per_household_touched(actor, corporation, buurten):
    household_import = run(actor, upload(actor, data("good_comma_utf8.csv")))

    rows = AccessLog.objects.all()
    assert rows.count() == 3
    assert {row.household.tenancy_reference for row in rows} == {"HC-1001", "HC-1002", "HC-1003"}
    for row in rows:
        assert row.action == AccessLog.Action.IMPORT
        assert (row.user_id, row.role, row.organisation_id) == (
            actor.user_id,
            Membership.Role.BEHEERDER,
            corporation.pk,
        )
        assert row.legal_basis == AccessLog.LegalBasis.OWN_TENANT
        assert row.origin == "203.0.113.7"
        assert (row.object_type, row.object_id) == ("cases.household", str(row.household_id))
        assert row.detail == {"import": household_import.pk}


# --- Scale ---------------------------------------------------------------------------------------


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_rows(actor, buurten):
    small = upload(actor, csv_rows(100, prefix="S"))
    large = upload(actor, csv_rows(1000, prefix="L"))
    assert BATCH_SIZE == 1000

    new_small = _queries(lambda: run(actor, small))
    new_large = _queries(lambda: run(actor, large))
    assert Household.objects.count() == 1100
    assert new_large <= new_small + 2

    # Updating: every row changes its phone number.
    check_small = _queries(lambda: upload(actor, csv_rows(100, prefix="S", phone="0101234567")))
    check_large = _queries(lambda: upload(actor, csv_rows(1000, prefix="L", phone="0101234567")))
    assert check_large <= check_small + 2
    small, large = HouseholdImport.objects.order_by("-id")[1], HouseholdImport.objects.first()
    assert (small.updated_rows, large.updated_rows) == (100, 1000)
    update_small = _queries(lambda: run(actor, small))
    update_large = _queries(lambda: run(actor, large))
    assert update_large <= update_small + 2


def test_two_thousand_rows_import_in_batches_with_bounded_queries(actor, buurten):
    one_batch = upload(actor, csv_rows(1000, prefix="A"))
    two_batches = upload(actor, csv_rows(2000, prefix="B"))

    per_batch_one = _queries(lambda: run(actor, one_batch))
    per_batch_two = _queries(lambda: run(actor, two_batches))

    assert Household.objects.filter(tenancy_reference__startswith="B-").count() == 2000
    assert AccessLog.objects.count() == 3000
    # A second batch costs the same few queries again, never a query per row.
    assert per_batch_two - per_batch_one <= 12


# --- Views ---------------------------------------------------------------------------------------


def _post_file(client, content: bytes, name: str = "huurders.csv"):
    return client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


def test_a_corporation_admin_uploads_checks_and_imports(login, admin, buurten):
    client = login(admin)
    page = client.get(reverse("imports:upload"))
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content
    assert b"novalidate" in page.content

    response = _post_file(client, data("good_comma_utf8.csv"))
    household_import = HouseholdImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:detail", args=[household_import.pk])

    preview = client.get(response.url)
    assert preview.status_code == 200
    assert b'data-testid="import-sample"' in preview.content
    assert b"HC-1003" in preview.content
    confirm = reverse("imports:confirm", args=[household_import.pk])
    assert f'action="{confirm}"'.encode() in preview.content

    response = client.post(confirm)
    assert response.status_code == 302
    household_import.refresh_from_db()
    assert household_import.status == Status.DONE
    assert Household.objects.count() == 3
    result = client.get(response.url)
    assert b'data-testid="import-result"' in result.content
    assert confirm.encode() not in result.content
    assert AccessLog.objects.filter(action=AccessLog.Action.IMPORT).count() == 3


def test_the_preview_lists_every_invalid_row_page_by_page_and_offers_no_import(
    login, admin, buurten
):
    lines = [HEADER] + [
        f"R-{i};Straat;{i + 1};;9999 X;Testdorp;BU99010101;;;;;;" for i in range(150)
    ]
    client = login(admin)
    response = _post_file(client, ("\n".join(lines) + "\n").encode())
    household_import = HouseholdImport.objects.get()
    assert household_import.invalid_rows == 150

    first = client.get(response.url)
    second = client.get(response.url + "?page=2")

    assert first.content.count(b'data-code="postcode"') == 100
    assert second.content.count(b'data-code="postcode"') == 50
    assert b'data-row="2"' in first.content and b'data-row="151"' in second.content
    confirm = reverse("imports:confirm", args=[household_import.pk])
    assert confirm.encode() not in first.content
    assert client.post(confirm).status_code == 302
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"PK\x03\x04\x14\x00\x06\x00", "spreadsheet"),
        (b"Dear tenant, this is a letter and not an export.\nRegards\n", "missing_columns"),
        (HEADER.encode() + b"\n", "no_rows"),
        (b"huurcontract,straat,straat,huisnummer\n1,a,b,2\n", "duplicate_column"),
    ],
    ids=["empty", "binary", "excel", "not-csv", "no-rows", "duplicate-column"],
)
def test_a_broken_file_is_explained_next_to_the_file_field(login, admin, content, code):
    response = _post_file(login(admin), content)

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["file"]
    assert [error.code for error in errors] == [code]
    assert b"invalid-feedback" in response.content
    assert not HouseholdImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused(login, admin, monkeypatch):
    monkeypatch.setattr("cases.forms.imports.MAX_BYTES", 100)
    response = _post_file(login(admin), csv_rows(5))
    assert response.context["form"].errors.as_data()["file"][0].code == "too_large"


def test_while_the_task_runs_the_page_polls_its_progress(login, admin, buurten, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client = login(admin)
    household_import = upload(admin, data("good_comma_utf8.csv"))
    detail = reverse("imports:detail", args=[household_import.pk])
    client.post(reverse("imports:confirm", args=[household_import.pk]))

    waiting = client.get(detail)
    assert b'hx-trigger="every 2s"' in waiting.content
    assert waiting.context["household_import"].shown_status == Status.RUNNING
    assert b"import-confirm" not in waiting.content

    cache.set(f"household-import:{household_import.pk}:progress", {"done": 2, "total": 3}, 60)
    poll = client.get(detail, headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert b'value="2" max="3"' in poll.content
    assert b"<html" not in poll.content

    tasks.household_import(household_import.pk)
    finished = client.get(detail, headers={"HX-Request": "true"})
    assert finished.status_code == 204
    assert finished["HX-Refresh"] == "true"


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("imports:upload"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_it_requires_an_administrator(login, corporation_worker, admin, buurten):
    household_import = upload(admin, data("good_comma_utf8.csv"))
    client = login(corporation_worker)
    assert client.get(reverse("imports:upload")).status_code == 403
    assert client.get(reverse("imports:detail", args=[household_import.pk])).status_code == 403
    confirm = reverse("imports:confirm", args=[household_import.pk])
    assert client.post(confirm).status_code == 403
    assert not Household.objects.exists()


def test_it_requires_a_housing_corporation(login, welfare):
    welfare_admin = MembershipFactory(organisation=welfare, role=Membership.Role.BEHEERDER)
    client = login(welfare_admin)
    assert client.get(reverse("imports:upload")).status_code == 403
    assert _post_file(client, b"huurcontract\n1\n").status_code == 403


def test_another_corporations_import_is_not_found(login, admin, outsider_admin, buurten):
    household_import = upload(admin, data("good_comma_utf8.csv"))
    client = login(outsider_admin)
    assert client.get(reverse("imports:upload")).status_code == 200
    assert client.get(reverse("imports:detail", args=[household_import.pk])).status_code == 404
    confirm = reverse("imports:confirm", args=[household_import.pk])
    assert client.post(confirm).status_code == 404
    assert not Household.objects.exists()
    assert b"huurders.csv" not in client.get(reverse("imports:upload")).content


def test_wrong_methods_are_refused(login, admin, buurten):
    household_import = upload(admin, data("good_comma_utf8.csv"))
    client = login(admin)
    assert client.put(reverse("imports:upload")).status_code == 405
    assert client.delete(reverse("imports:upload")).status_code == 405
    assert client.post(reverse("imports:detail", args=[household_import.pk])).status_code == 405
    assert client.get(reverse("imports:confirm", args=[household_import.pk])).status_code == 405


def test_an_import_offers_its_neighbourhoods_in_the_list_filters_at_once(
    actor, corporation_worker, buurten, django_capture_on_commit_callbacks
):
    wijk, buurt = buurten
    assert filter_choices.neighbourhood_choices(actor=corporation_worker) == []  # now kept
    with django_capture_on_commit_callbacks(execute=True):
        run(actor, upload(actor, data("good_comma_utf8.csv")))
    assert filter_choices.neighbourhood_choices(actor=corporation_worker) == [
        (wijk.pk, "Centrum (Testdorp)"),
        (buurt.pk, "Oude Haven (Testdorp)"),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_cache_that_fails_after_the_commit_does_not_make_a_done_import_look_failed(
    actor, buurten, monkeypatch, caplog
):
    def unreachable(**_kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(service, "neighbourhood_choices_forget", unreachable)
    household_import = run(actor, upload(actor, data("good_comma_utf8.csv")))
    assert household_import.status == Status.DONE
    assert Household.objects.filter(corporation=actor.organisation).count() == 3
    assert "nothing was written" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_fails_after_the_commit_leaves_the_import_to_the_sweep(
    actor, buurten, settings, monkeypatch, caplog
):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def unreachable(*_args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.household_import, "delay", unreachable)
    household_import = upload(actor, data("good_comma_utf8.csv"))
    household_import_start(actor=actor, household_import=household_import)  # no error
    household_import.refresh_from_db()
    assert (household_import.status, household_import.started_by) == (Status.VALIDATED, actor)
    assert "broker down" in caplog.text
