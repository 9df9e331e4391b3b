"""Every resident a rental export lists (issue 16, item 4; docs/import.md): one row per person
with the tenancy reference, name, role and year of birth; importing again adds nobody twice;
what is wrong is said per line, in Dutch."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cases.models import AccessLog, Household, HouseholdEvent, Resident
from cases.services.imports.parsing import FileError, error_text, parse, validate_rows
from tests.factories import import_counts, import_file, import_run, import_upload

pytestmark = pytest.mark.django_db
HEADER = "huurcontract;straat;huisnummer;postcode;plaats;buurtcode;naam;rol;geboortejaar"


@pytest.fixture(autouse=True)
def _eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def actor(admin):
    admin.origin = "203.0.113.7"
    return admin


def csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode() + b"\n"


def row(reference="HC-1", name="Karin Jansen", role="hoofdhuurder", year="", street="Lindelaan"):
    return f"{reference};{street};12;1234 AB;Testdorp;BU99010101;{name};{role};{year}"


def people(reference):
    return [
        (r.name, r.is_main_tenant, r.is_co_tenant, r.birth_year)
        for r in Resident.objects.filter(household__tenancy_reference=reference).order_by("name")
    ]


def test_every_resident_of_a_rental_export_is_imported(actor, buurten):
    done = import_run(actor, import_upload(actor, import_file("residents_per_person.csv")))
    assert done.status == "done"
    assert (done.total_rows, *import_counts(done)) == (5, 3, 0, 0, 0)
    assert people("HC-2001") == [
        ("Karin Jansen", True, False, 1961),
        ("Piet Jansen", False, True, 1959),
        ("Sem Jansen", False, False, 2010),
    ]
    assert people("HC-2002") == [("Anna de Wit", True, False, None)]
    assert people("HC-2003") == []
    # Phone and e-mail of a household are its main tenant's, else its first row's that has them.
    assert Household.objects.get(tenancy_reference="HC-2001").phone == "06 12345678"
    assert HouseholdEvent.objects.filter(kind="household_imported").count() == 3


def test_importing_again_adds_nobody_twice_and_records_what_changed(actor, buurten):
    import_run(actor, import_upload(actor, import_file("residents_per_person.csv")))
    again = import_run(actor, import_upload(actor, import_file("residents_per_person.csv")))
    assert import_counts(again) == (0, 0, 3, 0)
    assert Resident.objects.count() == 4
    logged = AccessLog.objects.filter(action="import").count()

    # Piet is now the main tenant, "karin  JANSEN" (the same person) a resident, Lotte new.
    changed = csv(
        row("HC-2001", "Piet Jansen", "hoofdhuurder", "1959"),
        row("HC-2001", "karin  JANSEN", "bewoner", "1961"),
        row("HC-2001", "Lotte Jansen", "bewoner", "2015"),
    )
    household = Household.objects.get(tenancy_reference="HC-2001")
    done = import_run(actor, import_upload(actor, changed))
    assert import_counts(done) == (0, 1, 0, 0)
    assert people("HC-2001") == [
        ("Karin Jansen", False, False, 1961),
        ("Lotte Jansen", False, False, 2015),
        ("Piet Jansen", True, False, 1959),
        ("Sem Jansen", False, False, 2010),  # not in this file: stays, nobody is removed
    ]
    event = HouseholdEvent.objects.filter(household=household, kind="data_corrected").get()
    assert event.data["fields"] == ["residents"]
    assert AccessLog.objects.filter(action="import").count() == logged + 1
    assert import_counts(import_run(actor, import_upload(actor, changed))) == (0, 0, 1, 0)


def test_a_main_tenant_the_file_does_not_name_is_no_longer_the_main_tenant(actor, buurten):
    import_run(actor, import_upload(actor, csv(row("HC-1", "Karin Jansen", "hoofdhuurder"))))
    import_run(actor, import_upload(actor, csv(row("HC-1", "Bram Smit", "hoofdhuurder"))))
    assert people("HC-1") == [
        ("Bram Smit", True, False, None),
        ("Karin Jansen", False, False, None),
    ]


def _errors(actor, raw: bytes) -> list[tuple]:
    household_import = import_upload(actor, raw)
    with translation.override("nl"):
        return [(e["row"], e["column"], e["code"], error_text(e)) for e in household_import.errors]


def test_what_is_wrong_is_said_per_line_in_dutch(actor, buurten):
    errors = _errors(
        actor,
        csv(
            row("HC-1", "Karin Jansen", "hoofdhuurder"),
            row("HC-1", "Piet Jansen", "huurder"),  # 3: no such role
            row("HC-1", "Anna Jansen", "hoofdhuurder"),  # 4: a second main tenant
            row("HC-1", "karin jansen", "bewoner"),  # 5: the same person again
            row("HC-1", "Sem Jansen", "bewoner", street="Eikenweg"),  # 6: another address
            row("HC-2", "", "medehuurder"),  # 7: a role without a name
            row("HC-3", "Zoë", "bewoner", "1850"),  # 8: no year of birth
        ),
    )
    assert [(line, column, code) for line, column, code, _text in errors] == [
        (3, "rol", "role"),
        (4, "rol", "second_main_tenant"),
        (5, "naam", "duplicate_person"),
        (6, "straat", "household_differs"),
        (7, "naam", "without_name"),
        (8, "geboortejaar", "birth_year"),
    ]
    texts = [text for *_rest, text in errors]
    assert texts[0] == "Regel 3: rol: ‘huurder’ is geen rol: hoofdhuurder, medehuurder of bewoner"
    assert "regel 2" in texts[1] and "regel 2" in texts[2] and "regel 2" in texts[3]


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("huurcontract;straat;huisnummer;postcode;plaats;buurtcode;naam;hoofdhuurder", "mixed"),
        ("huurcontract;straat;huisnummer;postcode;plaats;buurtcode;rol", "person_without_name"),
    ],
)
def test_a_file_lists_its_residents_one_way(header, code):
    with pytest.raises(FileError) as refused:
        parse(f"{header}\nHC-1;Lindelaan;1;1234 AB;Testdorp;BU99010101;Anna;Anna\n".encode())
    assert refused.value.code.startswith(code)


def test_query_count_does_not_grow_with_people(actor, buurten):
    def file(count, prefix):
        return csv(
            *(
                row(f"{prefix}-{i // 3}", f"Persoon {i}", "hoofdhuurder" if i % 3 == 0 else "")
                for i in range(count)
            )
        )

    def queries(function):
        with CaptureQueriesContext(connection) as context:
            function()
        return len(context.captured_queries)

    small, large = import_upload(actor, file(30, "S")), import_upload(actor, file(600, "L"))
    assert queries(lambda: import_run(actor, small)) + 2 >= queries(
        lambda: import_run(actor, large)
    )
    assert Resident.objects.count() == 630
    changed_small = import_upload(actor, file(30, "S").replace(b";hoofdhuurder;", b";bewoner;"))
    changed_large = import_upload(actor, file(600, "L").replace(b";hoofdhuurder;", b";bewoner;"))
    assert (changed_small.updated_rows, changed_large.updated_rows) == (10, 200)
    assert queries(lambda: import_run(actor, changed_small)) + 2 >= queries(
        lambda: import_run(actor, changed_large)
    )


def test_a_tenancy_with_thousands_of_residents_is_checked_in_time_that_grows_with_its_rows():
    """A care home on one contract, or an export whose tenancy column is wrong: each person is
    checked against the household's others by name, not one by one (which took minutes)."""
    many = 20_000
    rows = [row(name=f"Bewoner {i}", role="bewoner") for i in range(many)]
    rows += [row(name="Bewoner 7", role="bewoner"), row(role="hoofdhuurder")]
    rows += [row(name="Tweede Huurder", role="hoofdhuurder")]
    started = time.monotonic()
    valid, errors, invalid = validate_rows(parse(csv(*rows)), {"BU99010101": 1})
    assert time.monotonic() - started < 20  # some 2 s; the square of the rows took 90 s
    assert len(valid) == 1 and len(valid[0].people) == many + 1
    assert [(e["row"], e["code"], e["params"]) for e in errors] == [
        (many + 2, "duplicate_person", {"value": "Bewoner 7", "other": 9}),
        (many + 4, "second_main_tenant", {"other": many + 3}),
    ]
    assert invalid == 2
