"""Possible duplicate households (ADR 0026): households of one corporation at the same address
(postcode, number and addition, normalised) or with the same resident (name without case,
spacing or diacritics, and year of birth) under another tenancy reference. Only the
corporation's own households are compared, never another's, and only those still active
(not merged into another, not erased); two an administrator marked as distinct are not
flagged again.

Detection takes plain data (`Candidate`), so the CSV import, the household page and the API's
import call the same code; what a page shows of the households found is logged by the page."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from cases.access.log import log_shown
from cases.models import AccessLog, DistinctHouseholds, Household, Resident
from cases.validators import address_key, name_key
from partners.models import Membership

OWN_TENANT = AccessLog.LegalBasis.OWN_TENANT
# The households a household page names as possible duplicates, at most.
SHOWN = 10


@dataclass(frozen=True)
class Person:
    name: str
    birth_year: int | None


@dataclass
class Candidate:
    """A household as a file, a request or a page describes it. `household_id` when it exists
    already (a re-import, a household page): it is never its own duplicate, and pairs marked
    distinct are left out."""

    tenancy_reference: str
    postcode: str
    house_number: int | None
    house_number_addition: str = ""
    people: tuple[Person, ...] = ()
    household_id: int | None = None

    @property
    def address_key(self) -> str:
        return address_key(self.postcode, self.house_number, self.house_number_addition)

    def person_keys(self) -> set[tuple[str, int]]:
        """(name key, year of birth) of each person with both: a name alone is no match."""
        return {
            (name_key(person.name), person.birth_year)
            for person in self.people
            if person.birth_year and name_key(person.name)
        }


@dataclass
class Match:
    """Another household that may be the same: why (the same address, the same people)."""

    household_id: int | None
    tenancy_reference: str
    address: str
    same_address: bool = False
    people: list[tuple[str, int]] = field(default_factory=list)  # (name there, year of birth)
    line: int | None = None  # another line of the same file, for an import

    @property
    def reasons(self) -> list[str]:
        reasons = [_("same address")] if self.same_address else []
        reasons += [
            _("%(name)s, born in %(year)s, lives there too") % {"name": name, "year": year}
            for name, year in self.people
        ]
        return reasons

    def as_data(self) -> dict:
        return {
            "household": self.household_id,
            "tenancy_reference": self.tenancy_reference,
            "address": self.address,
            "same_address": self.same_address,
            "people": [list(person) for person in self.people],
            "line": self.line,
        }


def _address(street: str, number: int, addition: str, postcode: str, town: str) -> str:
    number_text = f"{number}-{addition}" if addition else str(number)
    return f"{street} {number_text}, {postcode} {town}"


def active_households(organisation_id: int) -> QuerySet:
    """The corporation's households that can be duplicates: not merged, not erased."""
    return Household.objects.filter(
        corporation_id=organisation_id, merged_into__isnull=True, anonymised_at__isnull=True
    )


def _persons_q(keys: set[tuple[str, int]], prefix: str = "") -> Q:
    return reduce(or_, (Q(**{f"{prefix}name_key": k, f"{prefix}birth_year": y}) for k, y in keys))


HOUSEHOLD_VALUES = (
    "id",
    "tenancy_reference",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "town",
)


def duplicates_among(*, organisation_id: int, candidates: list[Candidate]) -> list[list[Match]]:
    """For each candidate, the corporation's active households that may be the same one,
    under another tenancy reference. Three queries however many candidates (the import asks
    per batch of a thousand). Logs nothing: the caller logs the households it shows."""
    keys = {c.address_key for c in candidates} - {""}
    persons = set().union(*(c.person_keys() for c in candidates)) if candidates else set()
    at_address: dict[str, list[dict]] = defaultdict(list)
    if keys:
        rows = active_households(organisation_id).filter(address_key__in=keys).order_by()
        for row in rows.values(*HOUSEHOLD_VALUES, "address_key"):
            at_address[row["address_key"]].append(row)
    with_person: dict[tuple[str, int], list[dict]] = defaultdict(list)
    if persons:
        prefix = "household__"
        rows = (
            Resident.objects.filter(
                name_key__in={k for k, _y in persons},
                birth_year__in={y for _k, y in persons},
                household__corporation_id=organisation_id,
                household__merged_into__isnull=True,
                household__anonymised_at__isnull=True,
            )
            .order_by("household_id", "pk")
            .values("name", "name_key", "birth_year", *(prefix + name for name in HOUSEHOLD_VALUES))
        )
        for row in rows:
            household = {name: row[prefix + name] for name in HOUSEHOLD_VALUES}
            with_person[(row["name_key"], row["birth_year"])].append(
                {**household, "person": (row["name"], row["birth_year"])}
            )
    marked = _marked_distinct([c.household_id for c in candidates if c.household_id])
    found = []
    for candidate in candidates:
        matches: dict[int, Match] = {}

        def match(row: dict, candidate=candidate, matches=matches) -> Match | None:
            if row["tenancy_reference"] == candidate.tenancy_reference:
                return None  # the same household, as the rental system names it
            if row["id"] == candidate.household_id:
                return None
            if candidate.household_id and _pair(candidate.household_id, row["id"]) in marked:
                return None
            if row["id"] not in matches:
                matches[row["id"]] = Match(
                    household_id=row["id"],
                    tenancy_reference=row["tenancy_reference"],
                    address=_address(
                        row["street"],
                        row["house_number"],
                        row["house_number_addition"],
                        row["postcode"],
                        row["town"],
                    ),
                )
            return matches[row["id"]]

        for row in at_address.get(candidate.address_key, []) if candidate.address_key else []:
            if found_match := match(row):
                found_match.same_address = True
        for key in sorted(candidate.person_keys()):
            for row in with_person.get(key, []):
                if (found_match := match(row)) and row["person"] not in found_match.people:
                    found_match.people.append(row["person"])
        found.append(sorted(matches.values(), key=lambda m: (m.address, m.tenancy_reference)))
    return found


def duplicates_within(candidates: list[tuple[int, Candidate]]) -> dict[int, list[Match]]:
    """The candidates of one file that may be the same household as another of its lines,
    under another tenancy reference: by line (each line, the other lines). Pure: no query."""
    by_address: dict[str, list[tuple[int, Candidate]]] = defaultdict(list)
    by_person: dict[tuple[str, int], list[tuple[int, Candidate, str]]] = defaultdict(list)
    for line, candidate in candidates:
        if candidate.address_key:
            by_address[candidate.address_key].append((line, candidate))
        for person in candidate.people:
            key = (name_key(person.name), person.birth_year)
            if person.birth_year and key[0]:
                by_person[key].append((line, candidate, person.name))
    found: dict[int, dict[str, Match]] = defaultdict(dict)

    def match(line: int, candidate: Candidate, other_line: int, other: Candidate) -> Match | None:
        if other.tenancy_reference == candidate.tenancy_reference:
            return None
        matches = found[line]
        if other.tenancy_reference not in matches:
            matches[other.tenancy_reference] = Match(
                household_id=None,
                tenancy_reference=other.tenancy_reference,
                address="",
                line=other_line,
            )
        return matches[other.tenancy_reference]

    for group in by_address.values():
        if len(group) > 1:
            for line, candidate in group:
                for other_line, other in group:
                    if found_match := match(line, candidate, other_line, other):
                        found_match.same_address = True
    for (_key, year), group in by_person.items():
        if len(group) > 1:
            for line, candidate, _name in group:
                for other_line, other, other_name in group:
                    found_match = match(line, candidate, other_line, other)
                    if found_match and (other_name, year) not in found_match.people:
                        found_match.people.append((other_name, year))
    return {line: list(matches.values()) for line, matches in found.items() if matches}


def _pair(first: int, second: int) -> tuple[int, int]:
    return (first, second) if first < second else (second, first)


def _marked_distinct(household_ids: list[int]) -> set[tuple[int, int]]:
    if not household_ids:
        return set()
    return set(
        DistinctHouseholds.objects.filter(
            Q(household_id__in=household_ids) | Q(other_id__in=household_ids)
        ).values_list("household_id", "other_id")
    )


# --- the household page ----------------------------------------------------------------------


def household_duplicates(*, actor: Membership, household: Household, residents) -> list[Match]:
    """The households the household page flags as possible duplicates ("Mogelijk dubbel"):
    of the household's own corporation, active, not marked distinct from it, and visible to
    the actor, so nobody is shown a household they may not see. One query, along the indexes
    on the address key and on the residents' name key; the households shown are logged."""
    if household.merged_into_id or household.anonymised_at:
        return []
    persons = {(r.name_key, r.birth_year) for r in residents if r.name_key and r.birth_year}
    conditions = []
    if household.address_key:
        conditions.append(Q(address_key=household.address_key))
    if persons:
        conditions.append(
            Q(pk__in=Resident.objects.filter(_persons_q(persons)).values("household"))
        )
    if not conditions:
        return []
    marked = DistinctHouseholds.objects.filter(
        Q(household=household, other=OuterRef("pk")) | Q(household=OuterRef("pk"), other=household)
    )
    rows = (
        Household.objects.visible_to(actor)
        .filter(
            reduce(or_, conditions),
            corporation_id=household.corporation_id,
            merged_into__isnull=True,
            anonymised_at__isnull=True,
        )
        .exclude(pk=household.pk)
        .filter(~Exists(marked))
    )
    if persons:
        # Which of the people is there too, in the same query.
        person = Resident.objects.filter(_persons_q(persons), household=OuterRef("pk"))
        person = person.order_by("pk")
        rows = rows.annotate(
            person=Subquery(person.values("name")[:1]),
            person_year=Subquery(person.values("birth_year")[:1]),
        )
    rows = rows.order_by("street", "house_number", "house_number_addition", "pk")[:SHOWN]
    shown = list(rows)
    matches = [
        Match(
            household_id=other.pk,
            tenancy_reference=other.tenancy_reference,
            address=other.address,
            same_address=bool(household.address_key) and other.address_key == household.address_key,
            people=[(other.person, other.person_year)] if getattr(other, "person", None) else [],
        )
        for other in shown
    ]
    if shown:
        own = actor.organisation_id == household.corporation_id
        log_shown(
            actor=actor,
            households=shown,
            detail={"duplicates_of": household.pk},
            legal_basis=OWN_TENANT if own else None,
        )
    return matches


def household_family(household: Household) -> list[int]:
    """The household and those merged into it (Household.merged_into always names the one
    that goes on, ADR 0026): whose history, access log and AVG overview it shows."""
    return [
        household.pk,
        *Household.objects.filter(merged_into=household).values_list("pk", flat=True),
    ]
