"""Importing households from a corporation's CSV export (issue 3, item 6; docs/import.md): again
by tenancy reference, all or nothing, in a task after commit, logged, in batches."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from cases import tasks
from cases.models import AccessLog, Complex, Household, HouseholdEvent, HouseholdImport, Resident
from cases.selectors import households as filter_choices
from cases.services import imports as service
from cases.services.imports import (
    BATCH_SIZE,
    _import_batch,
    failure_message,
    household_import_start,
    household_imports_sweep,
    progress,
)
from cases.services.imports.progress import progress_get
from partners.models import Membership, Neighbourhood
from tests.factories import (
    NeighbourhoodFactory,
    import_counts,
    import_file,
    import_rows,
    import_run,
    import_upload,
)

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


# --- Re-importing --------------------------------------------------------------------------------


def test_importing_again_updates_by_tenancy_reference_and_leaves_unchanged_rows_alone(
    actor, corporation, buurten
):
    import_run(actor, import_upload(actor, import_file("good_comma_utf8.csv")))
    untouched = Household.objects.get(tenancy_reference="HC-1002")
    access_before = AccessLog.objects.count()
    changed_file = import_file("good_comma_utf8.csv").decode()
    changed_file = changed_file.replace("06 12345678", "06 87654321")
    changed_file = changed_file.replace("Karin Jansen", "Karin Jansen-de Boer")
    changed_file = changed_file.replace("5678 CD", "5678 CE")
    changed_file += "HC-1004,Eikenweg,5,,5678 CE,Testdorp,WK990101,,,,,,\r\n"

    household_import = import_upload(actor, changed_file.encode())
    assert import_counts(household_import) == (1, 2, 1, 0)
    states = {row["tenancy_reference"]: row["state"] for row in household_import.sample}
    assert states == {
        "HC-1001": "updated",
        "HC-1002": "unchanged",
        "HC-1003": "updated",
        "HC-1004": "new",
    }

    household_import = import_run(actor, household_import)

    assert import_counts(household_import) == (1, 2, 1, 0)
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
    import_run(actor, import_upload(actor, import_file("good_comma_utf8.csv")))
    only_required = (
        b"huurcontract;straat;huisnummer;toevoeging;postcode;plaats;buurtcode\n"
        b"HC-1001;Lindelaan;12;;1234 AB;Testdorp;BU99010101\n"
        b"HC-1002;Lindelaan;14;A;1234 AB;Testdorp;BU99010101\n"
    )

    household_import = import_run(actor, import_upload(actor, only_required))

    assert import_counts(household_import) == (0, 0, 2, 0)
    first = Household.objects.get(tenancy_reference="HC-1001")
    assert (first.phone, first.complex.code) == ("06 12345678", "C-01")
    assert first.residents.get().name == "Karin Jansen"


def test_an_empty_cell_clears_an_optional_field_but_never_removes_a_resident(actor, buurten):
    import_run(actor, import_upload(actor, import_file("good_comma_utf8.csv")))
    content = import_file("good_comma_utf8.csv").decode()
    content = content.replace("06 12345678,fam.jansen@example.org,Karin Jansen,1961", ",,,")

    import_run(actor, import_upload(actor, content.encode()))

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
    household_import = import_upload(actor, import_rows(5))

    household_import = import_run(actor, household_import)

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
    content = (
        import_file("good_comma_utf8.csv") + b"HC-1009,Weg,1,,1234 AB,Testdorp,BU99019999,,,,,,\r\n"
    )
    household_import = import_upload(actor, content)
    assert household_import.status == Status.VALIDATED
    gone.delete()

    household_import = import_run(actor, household_import)

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
    household_import = import_upload(actor, import_file("good_comma_utf8.csv"))

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
    household_import = import_upload(actor, import_file("bad_rows.csv"))
    tasks.household_import(household_import.pk)
    household_import.refresh_from_db()
    assert household_import.status == Status.INVALID
    assert not Household.objects.exists()


def test_the_task_does_nothing_for_a_file_nobody_confirmed(actor, buurten):
    household_import = import_upload(actor, import_file("good_comma_utf8.csv"))
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
    household_import = import_run(actor, import_upload(actor, import_rows(5)))

    assert [(p["done"], p["total"]) for p in seen] == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert seen[2]["percent"] == 80
    assert progress_get(household_import.pk) is None  # cleared when finished


def test_the_sweep_queues_lost_tasks_and_empties_old_files(actor, buurten, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.household_import, "delay", queued.append)
    lost = import_upload(actor, import_file("good_comma_utf8.csv"))
    HouseholdImport.objects.filter(pk=lost.pk).update(
        queued_at=timezone.now() - timedelta(minutes=11)
    )
    forgotten = import_upload(actor, import_file("good_comma_utf8.csv"))
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
    household_import = import_run(actor, import_upload(actor, import_file("good_comma_utf8.csv")))

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
    small = import_upload(actor, import_rows(100, prefix="S"))
    large = import_upload(actor, import_rows(1000, prefix="L"))
    assert BATCH_SIZE == 1000

    new_small = _queries(lambda: import_run(actor, small))
    new_large = _queries(lambda: import_run(actor, large))
    assert Household.objects.count() == 1100
    assert new_large <= new_small + 2

    # Updating: every row changes its phone number.
    check_small = _queries(
        lambda: import_upload(actor, import_rows(100, prefix="S", phone="0101234567"))
    )
    check_large = _queries(
        lambda: import_upload(actor, import_rows(1000, prefix="L", phone="0101234567"))
    )
    assert check_large <= check_small + 2
    small, large = HouseholdImport.objects.order_by("-id")[1], HouseholdImport.objects.first()
    assert (small.updated_rows, large.updated_rows) == (100, 1000)
    update_small = _queries(lambda: import_run(actor, small))
    update_large = _queries(lambda: import_run(actor, large))
    assert update_large <= update_small + 2


def test_two_thousand_rows_import_in_batches_with_bounded_queries(actor, buurten):
    one_batch = import_upload(actor, import_rows(1000, prefix="A"))
    two_batches = import_upload(actor, import_rows(2000, prefix="B"))

    per_batch_one = _queries(lambda: import_run(actor, one_batch))
    per_batch_two = _queries(lambda: import_run(actor, two_batches))

    assert Household.objects.filter(tenancy_reference__startswith="B-").count() == 2000
    assert AccessLog.objects.count() == 3000
    # A second batch costs the same few queries again, never a query per row.
    assert per_batch_two - per_batch_one <= 12


# --- After the commit ----------------------------------------------------------------------------


def test_an_import_offers_its_neighbourhoods_in_the_list_filters_at_once(
    actor, corporation_worker, buurten, django_capture_on_commit_callbacks
):
    wijk, buurt = buurten
    assert filter_choices.neighbourhood_choices(actor=corporation_worker) == []  # now kept
    with django_capture_on_commit_callbacks(execute=True):
        import_run(actor, import_upload(actor, import_file("good_comma_utf8.csv")))
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
    household_import = import_run(actor, import_upload(actor, import_file("good_comma_utf8.csv")))
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
    household_import = import_upload(actor, import_file("good_comma_utf8.csv"))
    household_import_start(actor=actor, household_import=household_import)  # no error
    household_import.refresh_from_db()
    assert (household_import.status, household_import.started_by) == (Status.VALIDATED, actor)
    assert "broker down" in caplog.text
