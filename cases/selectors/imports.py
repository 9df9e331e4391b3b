"""Reads of household imports: an organisation's imports, one import, and what a checked file's
rows would change in the households that exist (the preview before importing)."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from cases.access.log import log_shown
from cases.models import AccessLog, Household, HouseholdImport, Resident
from cases.selectors.duplicates import (
    Candidate,
    Match,
    Person,
    duplicates_among,
    duplicates_within,
)
from cases.services.imports.parsing import ImportRow, ParsedFile, validate_rows
from cases.services.imports.residents import resident_plan
from partners.models import Membership, Neighbourhood

SAMPLE_SIZE = 10
# Lines with possible duplicates kept for the preview, and shown on it (ADR 0026).
MAX_DUPLICATES = 1000
DUPLICATES_SHOWN = 100
# Column → Household field it fills. A column absent from the file leaves its field alone.
HOUSEHOLD_FIELDS = {
    "straat": "street",
    "huisnummer": "house_number",
    "toevoeging": "house_number_addition",
    "postcode": "postcode",
    "plaats": "town",
    "buurtcode": "neighbourhood",
    "complexnummer": "complex",
    "telefoon": "phone",
    "email": "email",
}


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def neighbourhood_ids(parsed: ParsedFile) -> dict[str, int]:
    codes = sorted({values.get("buurtcode", "").upper() for _line, values in parsed.rows} - {""})
    found = {}
    for chunk in chunks(codes, 2000):
        found.update(Neighbourhood.objects.filter(cbs_code__in=chunk).values_list("cbs_code", "id"))
    return found


# What the import compares, read as plain values: most rows of a monthly re-import are
# unchanged, and building model instances for them would cost more than the queries.
SNAPSHOT_FIELDS = [
    "id",
    "tenancy_reference",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "town",
    "neighbourhood_id",
    "complex__code",
    "phone",
    "email",
    # A household merged into another (ADR 0026) is not imported again.
    "merged_into_id",
    "merged_into__tenancy_reference",
]


def existing(organisation_id: int, rows: list[ImportRow]) -> dict[str, dict]:
    """The batch's households that exist, as values with their complex's code, their main
    tenant (id, name, birth year) and all their residents (id, name, birth year, main tenant,
    co-tenant): two queries."""
    households = {
        values["tenancy_reference"]: values
        for values in Household.objects.filter(
            corporation_id=organisation_id,
            tenancy_reference__in=[row.tenancy_reference for row in rows],
        )
        .order_by()
        .values(*SNAPSHOT_FIELDS)
    }
    by_id = {values["id"]: values for values in households.values()}
    for values in by_id.values():
        values["residents"] = []
    residents = (
        Resident.objects.filter(household_id__in=list(by_id))
        .order_by("-id")  # the oldest main tenant wins when there are several
        .values_list("household_id", "id", "name", "birth_year", "is_main_tenant", "is_co_tenant")
    )
    for household_id, pk, name, birth_year, main, co in residents:
        by_id[household_id]["residents"].append((pk, name, birth_year, main, co))
        if main:
            by_id[household_id]["tenant"] = [pk, name, birth_year]
    return households


def changes(row: ImportRow, household: dict, columns: set[str]) -> list[str]:
    """The fields this row would change, in a stable order; empty when the row is unchanged."""
    changed = []
    for column, name in HOUSEHOLD_FIELDS.items():
        if column not in columns:
            continue
        if name == "neighbourhood":
            same = household["neighbourhood_id"] == row.neighbourhood_id
        elif name == "complex":
            same = (household["complex__code"] or "") == row.complex_code
        else:
            same = household[name] == getattr(row, name)
        if not same:
            changed.append(name)
    # An empty hoofdhuurder leaves the residents alone: an import never removes people.
    if "hoofdhuurder" in columns and row.main_tenant:
        _id, name, birth_year = household.get("tenant") or (None, None, None)
        if name != row.main_tenant:
            changed.append("main_tenant")
        if "geboortejaar_hoofdhuurder" in columns and birth_year != row.main_tenant_birth_year:
            changed.append("main_tenant_birth_year")
    if "naam" in columns and residents_to_change(row, household, columns):
        changed.append("residents")
    return changed


def residents_to_change(row: ImportRow, household: dict, columns: set[str]):
    """What the row's people (with the naam column) would change in the household's residents
    (cases.services.imports.residents.resident_plan)."""
    return resident_plan(
        row.people, household.get("residents", []), years="geboortejaar" in columns
    )


# --- Reading imports, and housekeeping -----------------------------------------------------------


def household_import_get(*, actor: Membership, pk: int, text: bool = False) -> HouseholdImport:
    """One of the actor's organisation's imports (404 otherwise), without the file's text
    unless asked (a batch's results per record are read from it)."""
    imports = HouseholdImport.objects.visible_to(actor)
    return get_object_or_404(imports if text else imports.defer("content"), pk=pk)


def household_import_sample_shown(*, actor: Membership, household_import: HouseholdImport) -> int:
    """The preview shows sample rows beside the households they would change (tenant names,
    changed fields): one access-log row per existing household it shows, with the import in
    `detail`. A new row is the file's own text, no household yet. Returns the rows written."""
    references = [
        row["tenancy_reference"] for row in household_import.sample if row.get("state") != "new"
    ]
    return _import_shown(actor, household_import, references, sample=True)


def household_import_duplicates_shown(*, actor, household_import: HouseholdImport) -> int:
    """The answer to a batch sent through the API names only the possible duplicates (ADR
    0026): one access-log row per household of the corporation it names."""
    return _import_shown(actor, household_import, [], sample=False)


def _import_shown(actor, household_import, references: list[str], *, sample: bool) -> int:
    # The possible duplicates it names are households of the corporation too (ADR 0026).
    others = {
        match["household"]
        for entry in household_import.duplicates[:DUPLICATES_SHOWN]
        for match in entry.get("matches", [])
        if match.get("household")
    }
    if not references and not others:
        return 0
    households = Household.objects.visible_to(actor).filter(
        Q(tenancy_reference__in=references) | Q(pk__in=others),
        corporation_id=actor.organisation_id,
    )
    return log_shown(
        actor=actor,
        households=households,
        detail={"import": household_import.pk, "preview" if sample else "duplicates": True},
        legal_basis=AccessLog.LegalBasis.OWN_TENANT,
    )


def household_import_duplicates(household_import: HouseholdImport) -> list[dict]:
    """The preview's possible duplicates (ADR 0026), the first DUPLICATES_SHOWN lines, each
    with its matches readable (Match.reasons). household_import_sample_shown logs them."""
    return [
        {
            **entry,
            "matches": [
                Match(
                    household_id=match.get("household"),
                    tenancy_reference=match["tenancy_reference"],
                    address=match.get("address", ""),
                    same_address=match.get("same_address", False),
                    people=[tuple(person) for person in match.get("people", [])],
                    line=match.get("line"),
                )
                for match in entry.get("matches", [])
            ],
        }
        for entry in household_import.duplicates[:DUPLICATES_SHOWN]
    ]


def household_import_list(*, actor: Membership) -> QuerySet:
    """The organisation's imports, newest first, without the heavy columns."""
    return (
        HouseholdImport.objects.visible_to(actor)
        .defer("content", "errors", "sample")
        .select_related("created_by", "api_client")
    )


# --- what a checked file would do ------------------------------------------------------------


@dataclass
class Analysis:
    rows: list[ImportRow]
    errors: list[dict]
    invalid_rows: int
    new_rows: int = 0
    updated_rows: int = 0
    unchanged_rows: int = 0
    sample: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)


def _sample(row: ImportRow, state: str, fields: list[str]) -> dict:
    number = (
        f"{row.house_number}-{row.house_number_addition}"
        if row.house_number_addition
        else (str(row.house_number))
    )
    return {
        "row": row.line,
        "tenancy_reference": row.tenancy_reference,
        "address": f"{row.street} {number}, {row.postcode} {row.town}",
        "neighbourhood": row.neighbourhood_code,
        "main_tenant": row.main_tenant,
        "residents": [[person.name, person.role] for person in row.people],
        "state": state,
        "fields": fields,
    }


def analyse(*, organisation_id: int, parsed: ParsedFile, batch_size: int = 1000) -> Analysis:
    """Validate every row and count what importing would do: new, updated, unchanged; the
    existing households are read `batch_size` at a time."""
    rows, errors, invalid = validate_rows(parsed, neighbourhood_ids(parsed))
    analysis = Analysis(rows=rows, errors=errors, invalid_rows=invalid)
    columns = set(parsed.columns)
    within = duplicates_within([(row.line, candidate_of(row)) for row in rows])
    for batch in chunks(rows, batch_size):
        found = existing(organisation_id, batch)
        candidates = [
            candidate_of(row, (found.get(row.tenancy_reference) or {}).get("id")) for row in batch
        ]
        in_database = duplicates_among(organisation_id=organisation_id, candidates=candidates)
        for row, matches in zip(batch, in_database, strict=True):
            household = found.get(row.tenancy_reference)
            merged = household is not None and household["merged_into_id"] is not None
            _duplicates_add(analysis, row, matches, within.get(row.line, []), household, merged)
            fields = [] if household is None or merged else changes(row, household, columns)
            if household is None:
                state = "new"
                analysis.new_rows += 1
            elif merged:
                state = "merged"
                analysis.unchanged_rows += 1
            elif fields:
                state = "updated"
                analysis.updated_rows += 1
            else:
                state = "unchanged"
                analysis.unchanged_rows += 1
            if len(analysis.sample) < SAMPLE_SIZE:
                analysis.sample.append(_sample(row, state, fields))
    return analysis


def candidate_of(row: ImportRow, household_id: int | None = None) -> Candidate:
    """A row of the file as duplicate detection reads it: its address and its people (every
    resident with the naam column, else the main tenant)."""
    people = [Person(person.name, person.birth_year) for person in row.people]
    if not people and row.main_tenant:
        people = [Person(row.main_tenant, row.main_tenant_birth_year)]
    return Candidate(
        tenancy_reference=row.tenancy_reference,
        postcode=row.postcode,
        house_number=row.house_number,
        house_number_addition=row.house_number_addition,
        people=tuple(people),
        household_id=household_id,
    )


def _duplicates_add(analysis, row, in_database, in_file, household, merged) -> None:
    """Note a line's possible duplicates (ADR 0026), the households of the corporation first,
    then other lines of the file under another tenancy reference; or that its household was
    merged into another, so the line is not imported. Kept up to MAX_DUPLICATES lines."""
    if len(analysis.duplicates) >= MAX_DUPLICATES:
        return
    if merged:
        entry = {"merged_into": household["merged_into__tenancy_reference"], "matches": []}
    else:
        known = {match.tenancy_reference for match in in_database}
        matches = in_database + [m for m in in_file if m.tenancy_reference not in known]
        if not matches:
            return
        entry = {"matches": [match.as_data() for match in matches]}
    analysis.duplicates.append(
        {"row": row.line, "tenancy_reference": row.tenancy_reference, **entry}
    )
