"""Checking an uploaded file against the database, and importing it: all rows in one
transaction, in batches of BATCH_SIZE with a constant number of queries per batch.

The run is guarded: `HouseholdImport.status` moves from validated to running inside the import's
own transaction, so a second run of the task (a retry, a duplicate message) waits for the first
and then finds nothing to do, and a worker that dies mid-import leaves the import validated to be
run again, with nothing half-written. Progress lives in the cache, which other connections can
read while that transaction is still open."""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access.actors import agent_for_client, history_by, is_agent
from cases.access.log import log_access_many
from cases.models import AccessLog, Complex, Household, HouseholdEvent, HouseholdImport, Resident
from cases.models.households import ADDRESS_FIELDS
from cases.selectors import imports as compare
from cases.selectors.households import neighbourhood_choices_forget
from cases.services.imports import progress
from cases.services.imports.parsing import (
    MAX_ERRORS,
    FileError,
    ImportRow,
    ParsedFile,
    parse_text,
    validate_rows,
)
from cases.services.imports.residents import CO_TENANT, MAIN_TENANT, ImportPerson
from cases.validators import address_key, name_key
from partners.models import Membership, Organisation

logger = logging.getLogger(__name__)

Status = HouseholdImport.Status
Kind = HouseholdEvent.Kind
BATCH_SIZE = 1000
REQUEUE_AFTER = timedelta(minutes=10)
KEEP_FILES_FOR = timedelta(days=7)

FAILURE_MESSAGES = {
    "invalid_rows": _(
        "Since the check, data changed and some rows are no longer valid (see below). Nothing "
        "was imported: fix the file and upload it again."
    ),
    "revoked": _(
        "The system that sent this batch was revoked, or its key ran out, before it was "
        "imported. Nothing was imported."
    ),
    "unreadable": _(
        "The stored file could not be read again. Nothing was imported: upload it again."
    ),
    "unexpected": _(
        "The import stopped because of an unexpected error. Nothing was imported: try again "
        "later, or ask your application administrator for help."
    ),
    "expired": _(
        "This file was not imported within 7 days and has been removed. Nothing was imported: "
        "upload it again."
    ),
}


def failure_message(household_import: HouseholdImport) -> str:
    """Why the import failed, in the reader's language."""
    message = FAILURE_MESSAGES.get(household_import.failure_reason)
    return str(message) if message else household_import.failure_reason


class ImportRefused(Exception):
    def __init__(self, code: str, errors: list[dict] | None = None, invalid_rows: int = 0):
        super().__init__(code)
        self.code, self.errors, self.invalid_rows = code, errors or [], invalid_rows


# --- Checking (upload) ---------------------------------------------------------------------------


@transaction.atomic
def household_import_create(
    *, actor: Membership, file_name: str, parsed: ParsedFile
) -> HouseholdImport:
    """Store an uploaded file with what checking it found. A file with invalid rows is kept
    only as its errors: it cannot be imported."""
    analysis = compare.analyse(
        organisation_id=actor.organisation_id, parsed=parsed, batch_size=BATCH_SIZE
    )
    valid = analysis.invalid_rows == 0
    return HouseholdImport.objects.create(
        organisation_id=actor.organisation_id,
        created_by_id=actor.user_id,
        api_client_id=getattr(actor, "client_id", None),
        file_name=file_name[:255],
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        content=parsed.text if valid else "",
        status=Status.VALIDATED if valid else Status.INVALID,
        # A row refused as a whole may have several problems (a VERA record: a code and a date).
        total_rows=len(parsed.rows) + len({error["row"] for error in parsed.row_errors}),
        new_rows=analysis.new_rows,
        updated_rows=analysis.updated_rows,
        unchanged_rows=analysis.unchanged_rows,
        invalid_rows=analysis.invalid_rows,
        errors=analysis.errors[:MAX_ERRORS],
        sample=analysis.sample if valid else [],
        duplicates=analysis.duplicates if valid else [],
        ignored_columns=parsed.ignored_columns,
    )


# --- Importing -----------------------------------------------------------------------------------


def household_import_start(*, actor: Membership, household_import: HouseholdImport) -> None:
    """Import a checked file: now when Celery runs eagerly, else as a task after commit."""
    if household_import.status != Status.VALIDATED or household_import.queued_at:
        raise ValidationError(_("This file is being imported already, or cannot be imported."))
    household_import.started_by = None if is_agent(actor) else actor
    household_import.origin = getattr(actor, "origin", "") or ""
    household_import.queued_at = timezone.now()
    household_import.save(update_fields=["started_by", "origin", "queued_at"])
    if settings.CELERY_TASK_ALWAYS_EAGER:
        household_import_run(import_id=household_import.pk)
    else:
        _queue(household_import.pk)


def _queue(import_id: int) -> None:
    from cases.tasks import household_import  # tasks import this module

    def queue() -> None:
        household_import.delay(import_id)

    # robust: a Redis outage must not turn the committed request into an error page; the sweep
    # queues the import again. (A named function: Django names a robust hook that failed by its
    # __qualname__, which functools.partial lacks.)
    transaction.on_commit(queue, robust=True)


def _claimable(import_id: int) -> QuerySet:
    """The import, if it is checked, confirmed by someone, and not yet run."""
    return HouseholdImport.objects.filter(
        pk=import_id, status=Status.VALIDATED, queued_at__isnull=False
    )


def household_import_run(*, import_id: int) -> HouseholdImport | None:
    """Import a validated file in one transaction; safe to run twice (the second does nothing).
    On any error nothing is written and the import is marked failed with the reason."""
    try:
        with transaction.atomic():
            claimed = _claimable(import_id).update(status=Status.RUNNING)
            if not claimed:
                return None
            household_import = HouseholdImport.objects.select_related(
                "started_by__user", "api_client__organisation"
            ).get(pk=import_id)
            _import(household_import)
            return household_import
    except ImportRefused as exc:
        failure = {"failure_reason": exc.code}
        if exc.errors:
            failure.update(errors=exc.errors[:MAX_ERRORS], invalid_rows=exc.invalid_rows)
    except Exception:
        logger.exception("Household import %s failed; nothing was written.", import_id)
        failure = {"failure_reason": "unexpected"}
    finally:
        progress.progress_clear(import_id)
    _claimable(import_id).update(status=Status.FAILED, finished_at=timezone.now(), **failure)
    return None


def _import(household_import: HouseholdImport) -> None:
    if household_import.started_by_id:
        actor = household_import.started_by
        actor.origin = household_import.origin
    else:  # the rental system sent it: its client is the actor, under its name now
        if not household_import.api_client.is_valid():
            # Revoked at once means its queued batches too (ADR 0024).
            raise ImportRefused("revoked")
        actor = agent_for_client(household_import.api_client, origin=household_import.origin)
    organisation_id = household_import.organisation_id
    # One import per corporation at a time. NO KEY: rows that refer to the organisation (the
    # access log of every page view) are not blocked meanwhile.
    list(Organisation.objects.select_for_update(no_key=True).filter(pk=organisation_id))
    try:
        parsed = parse_text(household_import.content, household_import.encoding)
    except FileError:
        raise ImportRefused("unreadable") from None
    rows, errors, invalid = validate_rows(parsed, compare.neighbourhood_ids(parsed))
    if invalid:
        raise ImportRefused("invalid_rows", errors, invalid)

    columns = set(parsed.columns)
    complex_ids = _complexes_save(organisation_id, rows) if "complexnummer" in columns else {}
    counts = {"new_rows": 0, "updated_rows": 0, "unchanged_rows": 0}
    progress.progress_set(household_import.pk, 0, len(rows))
    for done, batch in enumerate(compare.chunks(rows, BATCH_SIZE), start=1):
        _import_batch(household_import, actor, batch, columns, complex_ids, counts)
        progress.progress_set(household_import.pk, min(done * BATCH_SIZE, len(rows)), len(rows))

    def forget_filter_choices() -> None:
        neighbourhood_choices_forget(organisation_id=organisation_id)

    # After the commit, and robust: the import is done whatever the cache says.
    transaction.on_commit(forget_filter_choices, robust=True)
    household_import.status = Status.DONE
    household_import.finished_at = timezone.now()
    household_import.content = ""
    household_import.sample = []
    # The households are in now: their pages, and the administrators' list, flag them.
    household_import.duplicates = []
    for name, value in counts.items():
        setattr(household_import, name, value)
    household_import.save(
        update_fields=[
            "status",
            "finished_at",
            "content",
            "sample",
            "duplicates",
            *counts.keys(),
        ]
    )


def _complexes_save(organisation_id: int, rows: list[ImportRow]) -> dict[str, int]:
    """Create or update the corporation's complexes named in the file: the name is the first one
    given, the neighbourhood that of the complex's first row. Returns code → id."""
    wanted: dict[str, list] = {}
    for row in rows:
        if row.complex_code:
            entry = wanted.setdefault(row.complex_code, [row.complex_name, row.neighbourhood_id])
            if not entry[0]:
                entry[0] = row.complex_name
    existing = {}
    for chunk in compare.chunks(sorted(wanted), 2000):
        existing.update(
            (complex_.code, complex_)
            for complex_ in Complex.objects.filter(corporation_id=organisation_id, code__in=chunk)
        )
    new, changed = [], []
    for code, (name, neighbourhood_id) in wanted.items():
        complex_ = existing.get(code)
        if complex_ is None:
            new.append(
                Complex(
                    corporation_id=organisation_id,
                    code=code,
                    name=name or code,
                    neighbourhood_id=neighbourhood_id,
                )
            )
        elif (name and complex_.name != name) or complex_.neighbourhood_id != neighbourhood_id:
            complex_.name = name or complex_.name
            complex_.neighbourhood_id = neighbourhood_id
            changed.append(complex_)
    Complex.objects.bulk_create(new, batch_size=BATCH_SIZE)
    Complex.objects.bulk_update(changed, ["name", "neighbourhood"], batch_size=BATCH_SIZE)
    return {complex_.code: complex_.pk for complex_ in [*existing.values(), *new]}


def _import_batch(household_import, actor, batch, columns, complex_ids, counts) -> None:
    """One batch: a constant number of queries whatever its size."""
    now = timezone.now()
    event = partial(
        HouseholdEvent, at=now, user_id=actor.user_id, organisation_id=actor.organisation_id
    )
    source = {"source": "import", "import": household_import.pk, **history_by(actor)}
    existing = compare.existing(household_import.organisation_id, batch)
    new, changed, residents_new, residents_changed, events = [], [], [], [], []
    people_changed = []
    update_fields = {"updated_at"}

    for row in batch:
        snapshot = existing.get(row.tenancy_reference)
        if snapshot is not None and snapshot["merged_into_id"]:
            # Merged into another household (ADR 0026): a closed record, which the file does
            # not reopen; the preview said so.
            counts["unchanged_rows"] += 1
            continue
        if snapshot is None:
            household = Household(
                corporation_id=household_import.organisation_id,
                tenancy_reference=row.tenancy_reference,
                street=row.street,
                house_number=row.house_number,
                house_number_addition=row.house_number_addition,
                postcode=row.postcode,
                town=row.town,
                neighbourhood_id=row.neighbourhood_id,
                complex_id=complex_ids.get(row.complex_code),
                phone=row.phone,
                email=row.email,
                created_at=now,
                updated_at=now,
                address_key=address_key(row.postcode, row.house_number, row.house_number_addition),
            )
            new.append(household)
            if row.main_tenant:
                residents_new.append(_tenant(household, row))
            residents_new += [_person(household, person) for person in row.people]
            events.append(event(household=household, kind=Kind.HOUSEHOLD_IMPORTED, data=source))
            continue
        fields = compare.changes(row, snapshot, columns)
        if not fields:
            counts["unchanged_rows"] += 1
            continue
        # bulk_update writes only the named fields: an instance with the pk and those suffices.
        household = Household(
            pk=snapshot["id"], corporation_id=household_import.organisation_id, updated_at=now
        )
        for name in fields:
            if name == "neighbourhood":
                household.neighbourhood_id = row.neighbourhood_id
            elif name == "complex":
                household.complex_id = complex_ids.get(row.complex_code)
            elif name.startswith("main_tenant") or name == "residents":
                continue  # a Resident, below
            else:
                setattr(household, name, getattr(row, name))
            update_fields.add(name)
        if ADDRESS_FIELDS & set(fields):
            # Postcode and number are required columns; an absent toevoeging keeps its value.
            addition = snapshot["house_number_addition"]
            if "toevoeging" in columns:
                addition = row.house_number_addition
            household.address_key = address_key(row.postcode, row.house_number, addition)
            update_fields.add("address_key")
        if "main_tenant" in fields or "main_tenant_birth_year" in fields:
            tenant = snapshot.get("tenant")
            if tenant is None:
                residents_new.append(_tenant(household, row))
            else:
                tenant_id, _name, birth_year = tenant
                if "geboortejaar_hoofdhuurder" in columns:
                    birth_year = row.main_tenant_birth_year
                elif "main_tenant" in fields:
                    birth_year = None  # another main tenant: the old year is not theirs
                residents_changed.append(
                    Resident(
                        pk=tenant_id,
                        name=row.main_tenant,
                        name_key=name_key(row.main_tenant),
                        birth_year=birth_year,
                    )
                )
        if "residents" in fields:
            plan = compare.residents_to_change(row, snapshot, columns)
            residents_new += [_person(household, person) for person in plan.new]
            people_changed += [
                Resident(pk=pk, is_main_tenant=main, is_co_tenant=co, birth_year=year)
                for pk, main, co, year in plan.changed
            ]
        changed.append(household)
        events.append(
            event(household=household, kind=Kind.DATA_CORRECTED, data={"fields": fields, **source})
        )

    Household.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if changed:
        Household.objects.bulk_update(changed, sorted(update_fields), batch_size=BATCH_SIZE)
    Resident.objects.bulk_create(residents_new, batch_size=BATCH_SIZE)
    if residents_changed:
        Resident.objects.bulk_update(
            residents_changed, ["name", "name_key", "birth_year"], batch_size=BATCH_SIZE
        )
    if people_changed:
        Resident.objects.bulk_update(
            people_changed, ["is_main_tenant", "is_co_tenant", "birth_year"], batch_size=BATCH_SIZE
        )
    HouseholdEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    log_access_many(
        actor=actor,
        action=AccessLog.Action.IMPORT,
        households=[*new, *changed],
        detail={"import": household_import.pk},
    )
    counts["new_rows"] += len(new)
    counts["updated_rows"] += len(changed)


def _tenant(household: Household, row: ImportRow) -> Resident:
    return Resident(
        household=household,
        name=row.main_tenant,
        name_key=name_key(row.main_tenant),
        birth_year=row.main_tenant_birth_year,
        is_main_tenant=True,
    )


def _person(household: Household, person: ImportPerson) -> Resident:
    return Resident(
        household=household,
        name=person.name,
        name_key=name_key(person.name),
        birth_year=person.birth_year,
        is_main_tenant=person.role == MAIN_TENANT,
        is_co_tenant=person.role == CO_TENANT,
    )


def household_imports_sweep() -> dict[str, int]:
    """Queue again imports whose task never started (a Redis outage), and empty files nobody
    imported within KEEP_FILES_FOR (they hold a tenant list)."""
    from cases.tasks import household_import  # tasks import this module

    now = timezone.now()
    requeued = 0
    stale = HouseholdImport.objects.filter(
        status=Status.VALIDATED, queued_at__lt=now - REQUEUE_AFTER
    ).values_list("pk", flat=True)
    for pk in stale:
        if progress.progress_get(pk) is None:  # running imports keep their progress in the cache
            household_import.delay(pk)
            requeued += 1
    old = HouseholdImport.objects.filter(created_at__lt=now - KEEP_FILES_FOR)
    # The error list quotes cell values (addresses, phone numbers): it goes with the file.
    expired = old.filter(status=Status.VALIDATED, queued_at__isnull=True).update(
        status=Status.FAILED,
        failure_reason="expired",
        finished_at=now,
        content="",
        sample=[],
        errors=[],
        duplicates=[],
    )
    emptied = (
        old.exclude(status=Status.VALIDATED)
        .exclude(content="", sample=[], errors=[], duplicates=[])
        .update(content="", sample=[], errors=[], duplicates=[])
    )
    return {"requeued": requeued, "expired": expired, "emptied": emptied}
