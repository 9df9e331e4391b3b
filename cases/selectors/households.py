"""Reads of households: the list and search, one household's page, the filters' choices (kept
in the cache a few minutes per organisation, ADR 0012). Each starts from visible_to(actor)
and writes the access log."""

import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from cases.access.log import log_access, log_shown, query_digest
from cases.models import (
    AccessLog,
    Complex,
    HomeVisit,
    Household,
    HouseholdEvent,
    Resident,
    Signal,
)
from cases.selectors.consents import consents_of
from cases.validators import POSTCODE_QUERY, STREET_NUMBER_QUERY, bare_addition
from cases.workflow import OPEN_STATUSES
from inclusie.pagination import CappedPaginator
from partners.models import Membership, Neighbourhood


@dataclass
class HouseholdFilters:
    query: str = ""
    # Only this tenancy reference (exact, in any case), with no fallback to names or streets:
    # a system that asks for a reference means that one (the API's _zoek).
    tenancy_reference: str = ""
    neighbourhood: Neighbourhood | None = None
    complex: Complex | None = None
    open_signals: bool | None = None

    def as_log(self) -> dict:
        return {
            "query": query_digest(self.query or self.tenancy_reference),
            "neighbourhood": self.neighbourhood.cbs_code if self.neighbourhood else None,
            "complex": self.complex.pk if self.complex else None,
            "open_signals": self.open_signals,
        }


def household_search(*, actor: Membership, filters: HouseholdFilters) -> QuerySet:
    """Households the actor may see, searched by tenancy reference (exact, in any case), postcode
    + house number (and addition), street (+ number) or resident name. Not logged:
    household_search_page logs what it shows."""
    # The open signals are counted per row shown (a subquery), not grouped over every
    # household first, so a page reads 25 households along the address index (ADR 0012).
    open_signals = Signal.objects.filter(household=OuterRef("pk"), status__in=OPEN_STATUSES)
    visible = Household.objects.visible_to(actor, ids_first=True)
    # A household merged into another is a closed record (ADR 0026): lists and searches show
    # the one that goes on; its old tenancy reference finds that one.
    reference = filters.tenancy_reference.strip()
    lookup = reference or filters.query.strip()
    by_reference = _by_tenancy_reference(visible, lookup) if lookup else []
    visible = visible.filter(merged_into__isnull=True)
    households = (
        visible.select_related("neighbourhood", "complex")
        .annotate(
            open_signal_count=Subquery(
                open_signals.order_by().values("household").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            )
        )
        .prefetch_related(
            Prefetch("residents", queryset=Resident.objects.filter(is_main_tenant=True))
        )
    )
    query = filters.query.strip()
    if by_reference or reference:
        households = households.filter(pk__in=by_reference)
    elif query:
        postcode_match = POSTCODE_QUERY.match(query)
        street_match = None if postcode_match else STREET_NUMBER_QUERY.match(query)
        number = addition = None
        if postcode_match:
            postcode = f"{postcode_match.group(1)} {postcode_match.group(2).upper()}"
            households = households.filter(postcode=postcode)
            number, addition = postcode_match.group(3), postcode_match.group(4)
        elif street_match:
            households = households.filter(street__iexact=street_match.group(1).strip())
            number, addition = street_match.group(2), street_match.group(3)
        else:
            with_resident = Resident.objects.filter(
                household__corporation_id=actor.organisation_id, name__icontains=query
            ).values("household_id")
            households = households.filter(Q(street__icontains=query) | Q(pk__in=with_resident))
        if number:
            households = households.filter(house_number=int(number))
        if addition:
            # "2-hoog", "2 hoog" and "2hoog" are the same addition; a postcode and number leave
            # a handful of rows to compare.
            bare = bare_addition(addition)
            households = households.filter(
                pk__in=[
                    pk
                    for pk, value in households.values_list("pk", "house_number_addition")
                    if bare_addition(value) == bare
                ]
            )
    if filters.neighbourhood:
        households = households.filter(
            Q(neighbourhood=filters.neighbourhood) | Q(neighbourhood__parent=filters.neighbourhood)
        )
    if filters.complex:
        households = households.filter(complex=filters.complex)
    if filters.open_signals is True:
        households = households.filter(Exists(open_signals))
    elif filters.open_signals is False:
        households = households.filter(~Exists(open_signals))
    return households.order_by("street", "house_number", "house_number_addition", "pk")


def _by_tenancy_reference(visible: QuerySet, query: str) -> list[int]:
    """The households among `visible` whose tenancy reference (huurcontractnummer) is `query`,
    in any case: one query along the index on (corporation, UPPER(tenancy_reference)). A
    reference is unique per corporation, so this is one household for each corporation whose
    households the actor sees; an exact reference is meant, never a part of one. A household
    merged into another gives the one it was merged into (ADR 0026)."""
    found = visible.filter(tenancy_reference__iexact=query).values_list("pk", "merged_into")
    return [merged_into or pk for pk, merged_into in found]


def _log_search(*, actor: Membership, filters, households) -> None:
    """A search or list page: one row per household it showed, with its filters (ADR 0006)."""
    log_shown(actor=actor, households=households, detail=filters.as_log())


def household_search_page(
    *, actor: Membership, filters: HouseholdFilters, page: str | None, per_page: int = 25
):
    """One page of the household search; the access log names the households shown."""
    result = CappedPaginator(household_search(actor=actor, filters=filters), per_page).get_page(
        page
    )
    _log_search(actor=actor, filters=filters, households=result)
    return result


def household_get(*, actor: Membership, pk: int) -> Household:
    """One household the actor may see (404 otherwise); the read is logged."""
    household = get_object_or_404(
        Household.objects.visible_to(actor).select_related(
            "neighbourhood", "complex", "corporation", "merged_into"
        ),
        pk=pk,
    )
    log_access(actor=actor, action=AccessLog.Action.VIEW, household=household, obj=household)
    return household


def household_for_change(*, actor: Membership, pk: int) -> Household:
    """A household the actor may change (404 otherwise). Not logged: the change is."""
    return get_object_or_404(Household.objects.visible_to(actor), pk=pk)


def household_shown(*, actor: Membership, household: Household) -> None:
    """Log that a form page showed the household (a form shown again after an error)."""
    log_access(actor=actor, action=AccessLog.Action.VIEW, household=household, obj=household)


@dataclass
class HouseholdPage:
    household: Household
    residents: list
    open_signals: list
    visits: list
    events: list
    closed_signal_count: int = 0
    events_limited: bool = True
    consents: list = field(default_factory=list)
    categories: dict = field(default_factory=dict)


def household_page(*, actor: Membership, pk: int, events_limit: int | None = 100) -> HouseholdPage:
    """What the household page shows: residents, open signals, visits and the timeline."""
    household = household_get(actor=actor, pk=pk)
    signals = Signal.objects.filter(household=household).select_related("category", "created_by")
    return HouseholdPage(
        household=household,
        residents=list(household.residents.all()),
        open_signals=list(signals.filter(status__in=OPEN_STATUSES).order_by("-created_at")),
        closed_signal_count=signals.exclude(status__in=OPEN_STATUSES).count(),
        visits=list(
            HomeVisit.objects.filter(household=household)
            .select_related("created_by")
            .annotate(signal_count=Count("signals"))[: events_limit or None]
        ),
        events_limited=events_limit is not None,
        consents=consents_of(household=household),
        # With the history of the households merged into this one (ADR 0026): it stays
        # where it happened, and is read here for both.
        events=list(
            # An IN over the household's ids, so each is read along the history's index.
            HouseholdEvent.objects.filter(
                household__in=Household.objects.filter(
                    Q(pk=household.pk) | Q(merged_into=household)
                ).values("pk")
            ).select_related("user", "organisation", "signal__category", "visit")[:events_limit]
        ),
    )


# The distinct neighbourhoods of one corporation's households, one index descent per
# neighbourhood ("loose index scan") instead of reading all its households: constant time
# whatever the corporation's size (ADR 0012).
_NEIGHBOURHOODS_OF_CORPORATION = """
    WITH RECURSIVE used(id) AS (
        SELECT MIN(neighbourhood_id) FROM cases_household WHERE corporation_id = %s
        UNION ALL
        SELECT (SELECT MIN(h.neighbourhood_id) FROM cases_household h
                WHERE h.corporation_id = %s AND h.neighbourhood_id > used.id)
        FROM used WHERE used.id IS NOT NULL
    )
    SELECT id FROM used WHERE id IS NOT NULL
"""


def neighbourhoods_of(*, actor: Membership) -> QuerySet:
    """The neighbourhoods (and their districts) where the actor sees households, for filters:
    its own corporation's, and those of households shared with it."""
    org = actor.organisation_id
    with connection.cursor() as cursor:
        cursor.execute(_NEIGHBOURHOODS_OF_CORPORATION, [org, org])
        used = {row[0] for row in cursor.fetchall()}
    shared = Household.objects.shared_ids(actor)
    if shared:
        used |= set(
            Household.objects.filter(pk__in=shared)
            .exclude(corporation_id=org)
            .values_list("neighbourhood", flat=True)
        )
    districts = Neighbourhood.objects.filter(pk__in=used, parent__isnull=False).values("parent")
    return Neighbourhood.objects.filter(Q(pk__in=used) | Q(pk__in=districts))


def area_by_code(code: str) -> Neighbourhood | None:
    """The district or neighbourhood with this CBS code, in any case; None when none has it."""
    return Neighbourhood.objects.filter(cbs_code__iexact=code.strip()).first()


def complexes_of(*, actor: Membership) -> QuerySet:
    return Complex.objects.filter(corporation_id=actor.organisation_id).order_by("name")


# --- the lists' neighbourhood filter, from the cache (ADR 0012) ---------------------------------

logger = logging.getLogger(__name__)

NEIGHBOURHOOD_CHOICES_SECONDS = 5 * 60


def _choices_key(organisation_id: int) -> str:
    return f"list-neighbourhoods:{organisation_id}"


def _choices_read(actor: Membership) -> list[tuple[int, str]]:
    areas = neighbourhoods_of(actor=actor).order_by("municipality", "name")
    return [
        (pk, f"{name} ({town})")
        for pk, name, town in areas.values_list("pk", "name", "municipality")
    ]


def neighbourhood_choices(*, actor: Membership) -> list[tuple[int, str]]:
    """neighbourhoods_of as the household and signal lists' filter offers them, (id, "name
    (town)"): three queries and 150 rows a large corporation would otherwise read on every
    list page. An import forgets them at once; a household shared with the organisation later
    appears within NEIGHBOURHOOD_CHOICES_SECONDS. Only names of neighbourhoods are kept; the
    list itself is filtered through visible_to."""
    key = _choices_key(actor.organisation_id)
    try:
        choices = cache.get(key)
    except Exception:
        logger.warning("Cache unreachable; the filter's neighbourhoods come from the database.")
        return _choices_read(actor)
    if choices is None:
        choices = _choices_read(actor)
        try:
            cache.set(key, choices, timeout=NEIGHBOURHOOD_CHOICES_SECONDS)
        except Exception:
            logger.warning("Cache unreachable; the filter's neighbourhoods are not kept.")
    return choices


def neighbourhood_choices_forget(*, organisation_id: int) -> None:
    """After an import changed the organisation's households: offer its neighbourhoods anew."""
    try:
        cache.delete(_choices_key(organisation_id))
    except Exception:
        logger.warning("Cache unreachable; the filter's neighbourhoods were not forgotten.")
