"""Every resident a rental export lists: one row per person, with the tenancy reference, the
person's name (`naam`), role (`rol`: hoofdhuurder, medehuurder or bewoner) and year of birth
(`geboortejaar`). The rows of one tenancy reference make one household (docs/import.md).

Pure, like parsing: each check returns problems as (column, code, params), which parsing turns
into the line's errors."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAIN_TENANT, CO_TENANT, RESIDENT = "hoofdhuurder", "medehuurder", "bewoner"
ROLES = (MAIN_TENANT, CO_TENANT, RESIDENT)
ROLE_LABELS = {MAIN_TENANT: _("main tenant"), CO_TENANT: _("co-tenant"), RESIDENT: _("resident")}
# Household fields that every row of one tenancy reference must agree on, with their column.
SAME_ON_EVERY_ROW = {
    "street": "straat",
    "house_number": "huisnummer",
    "house_number_addition": "toevoeging",
    "postcode": "postcode",
    "town": "plaats",
    "neighbourhood_code": "buurtcode",
    "complex_code": "complexnummer",
}

Problem = tuple[str, str, dict]


@dataclass(slots=True)
class ImportPerson:
    line: int
    name: str
    role: str
    birth_year: int | None

    @property
    def key(self) -> str:
        return same_name(self.name)


def same_name(name: str) -> str:
    """Names compare in any case and spacing: 'Karin  Jansen' is 'karin jansen'."""
    return " ".join(name.split()).casefold()


def person_of(line: int, values: dict[str, str]) -> tuple[ImportPerson | None, list[Problem]]:
    """The person a row names, or what is wrong with its person's cells. A row without a name
    names nobody (a household with no one listed yet)."""
    problems: list[Problem] = []
    name = values.get("naam", "")
    role = values.get("rol", "").strip().lower() or RESIDENT
    if role not in ROLES:
        problems.append(("rol", "role", {"value": values["rol"][:40]}))
    year, year_text = None, values.get("geboortejaar", "")
    if year_text:
        this_year = timezone.localdate().year
        if year_text.isdigit() and 1900 <= int(year_text) <= this_year:
            year = int(year_text)
        elif len(year_text) <= 4:
            problems.append(("geboortejaar", "birth_year", {"value": year_text, "max": this_year}))
    if not name and (values.get("rol") or year_text):
        problems.append(("naam", "without_name", {}))
    if problems or not name:
        return None, problems
    return ImportPerson(line=line, name=name, role=role, birth_year=year), []


def merge(first, row) -> list[Problem]:
    """Add the person of a later row of the same tenancy reference to the household of its
    first row. The address, neighbourhood and complex must be the same on each row; phone and
    e-mail are the main tenant's, else the first row's that has them. One main tenant, and each
    person once, per household."""
    problems: list[Problem] = []
    for name, column in SAME_ON_EVERY_ROW.items():
        if getattr(row, name) != getattr(first, name):
            params = {"value": str(getattr(row, name))[:40], "other": first.line}
            problems.append((column, "household_differs", params))
    known = _people_known(first)
    for person in row.people:
        found = []
        same = known.names.get(person.key)
        if same is not None:
            found.append((same.line, "naam", "duplicate_person", person.name[:40]))
        main = known.main_tenant
        if person.role == MAIN_TENANT and main is not None and main is not same:
            found.append((main.line, "rol", "second_main_tenant", None))
        for other, column, code, value in sorted(found, key=lambda item: item[0]):
            params = {"other": other} if value is None else {"value": value, "other": other}
            problems.append((column, code, params))
    if problems:
        return problems
    main = any(person.role == MAIN_TENANT for person in row.people)
    for name in ("phone", "email"):
        if getattr(row, name) and (main or not getattr(first, name)):
            setattr(first, name, getattr(row, name))
    for person in row.people:
        known.add(person)
    first.people.extend(row.people)
    return []


@dataclass(slots=True)
class _Known:
    """The people of one household read so far, by name, and its main tenant: a tenancy with
    thousands of residents (a care home, an export with the wrong column) is checked in time
    that grows with its rows, not with their square."""

    names: dict
    main_tenant: ImportPerson | None = None

    def add(self, person: ImportPerson) -> None:
        self.names.setdefault(person.key, person)
        if person.role == MAIN_TENANT and self.main_tenant is None:
            self.main_tenant = person


def _people_known(first) -> _Known:
    known = first.people_known
    if known is None:
        known = first.people_known = _Known(names={})
        for person in first.people:
            known.add(person)
    return known


@dataclass
class ResidentPlan:
    """What an import does to an existing household's residents: people to add, and changes
    (id, is_main_tenant, is_co_tenant, birth_year) to those it has. Nobody is removed."""

    new: list[ImportPerson]
    changed: list[tuple[int, bool, bool, int | None]]

    def __bool__(self) -> bool:
        return bool(self.new or self.changed)


def resident_plan(
    people: list[ImportPerson], residents: list[tuple], *, years: bool
) -> ResidentPlan:
    """Match the file's people to the household's residents (id, name, birth year, main
    tenant, co-tenant) by name; `years`: the file has the geboortejaar column, so an empty cell
    clears a year. When the file names a main tenant, a resident it does not name keeps living
    there but is no longer the main tenant."""
    by_name = {same_name(name): (pk, year, main, co) for pk, name, year, main, co in residents}
    plan = ResidentPlan(new=[], changed=[])
    named = set()
    for person in people:
        known = by_name.get(person.key)
        if known is None:
            plan.new.append(person)
            continue
        pk, year, main, co = known
        named.add(pk)
        wanted = (person.role == MAIN_TENANT, person.role == CO_TENANT)
        new_year = person.birth_year if years else year
        if (main, co) != wanted or new_year != year:
            plan.changed.append((pk, *wanted, new_year))
    if any(person.role == MAIN_TENANT for person in people):
        for pk, _name, year, main, co in residents:
            if main and pk not in named:
                plan.changed.append((pk, False, co, year))
    return plan
