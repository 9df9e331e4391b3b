"""The pages of possible duplicates for a corporation's administrators (ADR 0026): the list of
households that may be the same as another, and two households side by side with what a merge
would move."""

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404

from cases.access.log import log_access, log_shown
from cases.models import AccessLog, DistinctHouseholds, Household, JointCase, Resident
from cases.models.duplicates import FOLLOW_SURVIVOR
from cases.selectors.duplicates import (
    OWN_TENANT,
    Candidate,
    Match,
    Person,
    active_households,
    duplicates_among,
)
from inclusie.pagination import CappedPaginator
from partners.models import Membership

PAGE_SIZE = 25


def _later_duplicates_q(organisation_id: int) -> Q:
    """A household with a possible duplicate of a higher id (each pair is listed once, under
    its first household), not marked distinct from it."""
    later = active_households(organisation_id).filter(pk__gt=OuterRef("pk"))
    not_marked = ~Exists(
        DistinctHouseholds.objects.filter(
            household_id=OuterRef(OuterRef("pk")), other_id=OuterRef("pk")
        )
    )
    same_address = later.filter(address_key=OuterRef("address_key")).filter(not_marked)
    person_later = Resident.objects.filter(
        name_key=OuterRef("name_key"),
        birth_year=OuterRef("birth_year"),
        household__corporation_id=organisation_id,
        household__merged_into__isnull=True,
        household__anonymised_at__isnull=True,
        household_id__gt=OuterRef("household_id"),
    ).filter(
        ~Exists(
            DistinctHouseholds.objects.filter(
                household_id=OuterRef(OuterRef("household_id")), other_id=OuterRef("household_id")
            )
        )
    )
    same_person = (
        Resident.objects.filter(household_id=OuterRef("pk"), birth_year__isnull=False)
        .exclude(name_key="")
        .filter(Exists(person_later))
    )
    return (~Q(address_key="") & Exists(same_address)) | Exists(same_person)


@dataclass
class Flagged:
    household: Household
    matches: list[Match]


def duplicates_page(*, actor: Membership, page: str | None, per_page: int = PAGE_SIZE):
    """One page of the corporation's possible duplicates for its administrators: each
    household with the later households it may be the same as. A constant number of queries
    per page; the households shown are logged."""
    org = actor.organisation_id
    anchors = (
        active_households(org)
        .filter(_later_duplicates_q(org))
        .order_by("street", "house_number", "house_number_addition", "pk")
    )
    result = CappedPaginator(anchors, per_page).get_page(page)
    households = list(result.object_list)
    people = defaultdict(list)
    for household_id, name, year in Resident.objects.filter(
        household__in=[h.pk for h in households]
    ).values_list("household_id", "name", "birth_year"):
        people[household_id].append(Person(name, year))
    found = duplicates_among(
        organisation_id=org,
        candidates=[
            Candidate(
                tenancy_reference=h.tenancy_reference,
                postcode=h.postcode,
                house_number=h.house_number,
                house_number_addition=h.house_number_addition,
                people=tuple(people[h.pk]),
                household_id=h.pk,
            )
            for h in households
        ],
    )
    result.object_list = [
        Flagged(household=h, matches=[m for m in matches if m.household_id > h.pk])
        for h, matches in zip(households, found, strict=True)
    ]
    shown = {h.pk for h in households} | {
        m.household_id for flagged in result.object_list for m in flagged.matches
    }
    log_shown(
        actor=actor,
        households=Household.objects.filter(pk__in=shown) if shown else [],
        detail={"duplicates": "list", "page": result.number},
        legal_basis=OWN_TENANT,
    )
    return result


@dataclass
class Side:
    household: Household
    residents: list
    counts: list[tuple[str, int]]  # (what, how many) of what a merge moves
    open_case: bool


@dataclass
class Pair:
    first: Side
    second: Side
    matches: Match | None  # why they are flagged, if they still are
    same_people: list[tuple[str, str]]  # (name in the first, name in the second): one person
    distinct: DistinctHouseholds | None

    @property
    def merged(self) -> Household | None:
        """The one of the two already merged into another, if any."""
        for side in (self.first, self.second):
            if side.household.merged_into_id:
                return side.household
        return None

    @property
    def both_open_cases(self) -> bool:
        return self.first.open_case and self.second.open_case


def merge_counts(household_ids: list[int]) -> dict[int, list[tuple[str, int]]]:
    """Per household, how many of each kind of record a merge moves to the survivor (its
    residents first): one query per kind."""
    counts: dict[int, list[tuple[str, int]]] = {pk: [] for pk in household_ids}
    for label, field_name in (("cases.resident", "household"), *FOLLOW_SURVIVOR):
        model = apps.get_model(label)
        per = dict(
            model.objects.filter(**{f"{field_name}__in": household_ids})
            .order_by()
            .values_list(field_name)
            .annotate(n=Count("pk"))
        )
        for pk in household_ids:
            counts[pk].append((str(model._meta.verbose_name_plural), per.get(pk, 0)))
    return counts


def same_people(first: list, second: list) -> list[tuple[str, str]]:
    """The residents of two households that are one person: the same name (without case,
    spacing or diacritics) and no other year of birth (ADR 0026). A merge keeps them once."""
    found = []
    for person in second:
        for kept in first:
            same_year = (
                kept.birth_year is None
                or person.birth_year is None
                or kept.birth_year == person.birth_year
            )
            if kept.name_key and kept.name_key == person.name_key and same_year:
                found.append((kept.name, person.name))
                break
    return found


def duplicate_pair(*, actor: Membership, pk: int, other_pk: int) -> Pair:
    """Two households of the actor's own corporation side by side, for its administrator to
    merge or mark as distinct (404 unless both are the corporation's and visible to the
    actor). Both reads are logged."""
    if pk == other_pk:
        raise Http404
    households = {
        h.pk: h
        for h in Household.objects.visible_to(actor)
        .filter(corporation_id=actor.organisation_id, pk__in=[pk, other_pk])
        .select_related("neighbourhood", "merged_into")
    }
    if len(households) != 2:
        raise Http404
    first, second = households[pk], households[other_pk]
    residents = defaultdict(list)
    for resident in Resident.objects.filter(household__in=[pk, other_pk]).order_by(
        "-is_main_tenant", "-is_co_tenant", "name", "pk"
    ):
        residents[resident.household_id].append(resident)
    counts = merge_counts([pk, other_pk])
    open_cases = set(
        JointCase.objects.open()
        .filter(household__in=[pk, other_pk])
        .values_list("household_id", flat=True)
    )
    low, high = sorted([pk, other_pk])
    distinct = (
        DistinctHouseholds.objects.filter(household_id=low, other_id=high)
        .select_related("decided_by")
        .first()
    )
    found = duplicates_among(
        organisation_id=actor.organisation_id,
        candidates=[
            Candidate(
                tenancy_reference=first.tenancy_reference,
                postcode=first.postcode,
                house_number=first.house_number,
                house_number_addition=first.house_number_addition,
                people=tuple(Person(r.name, r.birth_year) for r in residents[pk]),
                household_id=pk,
            )
        ],
    )[0]
    for household in (first, second):
        log_access(
            actor=actor,
            action=AccessLog.Action.VIEW,
            household=household,
            obj=household,
            detail={"duplicates": [pk, other_pk]},
            legal_basis=OWN_TENANT,
        )
    return Pair(
        first=Side(first, residents[pk], counts[pk], pk in open_cases),
        second=Side(second, residents[other_pk], counts[other_pk], other_pk in open_cases),
        matches=next((m for m in found if m.household_id == other_pk), None),
        same_people=same_people(residents[pk], residents[other_pk]),
        distinct=distinct,
    )
