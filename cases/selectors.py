"""Every read of household data: starts from visible_to(actor) and writes the access log."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.access_log import log_access, log_shown, query_digest
from cases.models import (
    AccessLog,
    Complex,
    HomeVisit,
    Household,
    HouseholdEvent,
    Resident,
    Signal,
    SignalCategory,
)
from cases.workflow import OPEN_STATUSES
from inclusie.pagination import CappedPaginator
from partners.models import Membership, Neighbourhood

# "1234AB 12", "1234 ab 12-a", "9901AB 12 2-hoog": postcode, then house number and addition.
POSTCODE_QUERY = re.compile(
    r"^\s*([1-9]\d{3})\s*([A-Za-z]{2})"
    r"(?:[\s-]+|(?=\d)|$)(?:(\d{1,5})(?:[\s-]*([A-Za-z0-9][A-Za-z0-9 -]{0,9}?))?)?\s*$"
)
# "Lindelaan 12", "Lindelaan 12a": street and house number.
STREET_NUMBER_QUERY = re.compile(r"^\s*(\D+?)\s+(\d{1,5})\s*[- ]?\s*([A-Za-z0-9-]{0,10})\s*$")


def _bare(addition: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", addition or "").lower()


@dataclass
class HouseholdFilters:
    query: str = ""
    neighbourhood: Neighbourhood | None = None
    complex: Complex | None = None
    open_signals: bool | None = None

    def as_log(self) -> dict:
        return {
            "query": query_digest(self.query),
            "neighbourhood": self.neighbourhood.cbs_code if self.neighbourhood else None,
            "complex": self.complex.pk if self.complex else None,
            "open_signals": self.open_signals,
        }


def household_search(*, actor: Membership, filters: HouseholdFilters) -> QuerySet:
    """Households the actor may see, searched by postcode + house number (and addition), street
    (+ number) or resident name. Not logged: household_search_page logs what it shows."""
    # The open signals are counted per row shown (a subquery), not grouped over every
    # household first, so a page reads 25 households along the address index (ADR 0012).
    open_signals = Signal.objects.filter(household=OuterRef("pk"), status__in=OPEN_STATUSES)
    households = (
        Household.objects.visible_to(actor, ids_first=True)
        .select_related("neighbourhood", "complex")
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
    if query:
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
            bare = _bare(addition)
            households = households.filter(
                pk__in=[
                    pk
                    for pk, value in households.values_list("pk", "house_number_addition")
                    if _bare(value) == bare
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
            "neighbourhood", "complex", "corporation"
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
        events=list(
            HouseholdEvent.objects.filter(household=household).select_related(
                "user", "organisation", "signal__category", "visit"
            )[:events_limit]
        ),
    )


@dataclass
class SignalFilters:
    scope: str = "open"  # mine | open | overdue | all
    neighbourhood: Neighbourhood | None = None
    category: SignalCategory | None = None
    severity: str = ""
    status: str = ""
    older_than_days: int | None = None

    def as_log(self) -> dict:
        return {
            "scope": self.scope,
            "neighbourhood": self.neighbourhood.cbs_code if self.neighbourhood else None,
            "category": self.category.code if self.category else None,
            "severity": self.severity,
            "status": self.status,
            "older_than_days": self.older_than_days,
        }


def signal_search(*, actor: Membership, filters: SignalFilters) -> QuerySet:
    """Signals the actor may see, for the lists 'my neighbourhoods', 'all open' and 'follow-up
    date passed'; one access-log row for the search."""
    signals = Signal.objects.visible_to(actor, ids_first=True).select_related(
        "category", "household", "household__neighbourhood"
    )
    today = timezone.localdate()
    if filters.scope == "mine":
        mine = list(actor.neighbourhoods.values_list("pk", flat=True))
        signals = signals.open().filter(
            Q(household__neighbourhood__in=mine) | Q(household__neighbourhood__parent__in=mine)
        )
    elif filters.scope == "overdue":
        signals = signals.open().filter(follow_up_on__lt=today)
    elif filters.scope == "open":
        signals = signals.open()
    if filters.neighbourhood:
        signals = signals.filter(
            Q(household__neighbourhood=filters.neighbourhood)
            | Q(household__neighbourhood__parent=filters.neighbourhood)
        )
    if filters.category:
        signals = signals.filter(category=filters.category)
    if filters.severity:
        signals = signals.filter(severity=filters.severity)
    if filters.status:
        signals = signals.filter(status=filters.status)
    if filters.older_than_days:
        signals = signals.filter(created_at__lt=timezone.now() - timedelta(filters.older_than_days))
    if filters.scope == "overdue":
        return signals.order_by("follow_up_on", "pk")
    return signals.order_by("-created_at", "-pk")


def signal_search_page(
    *, actor: Membership, filters: SignalFilters, page: str | None, per_page: int = 25
):
    """One page of a signal list; the access log names the households shown."""
    result = CappedPaginator(signal_search(actor=actor, filters=filters), per_page).get_page(page)
    _log_search(actor=actor, filters=filters, households=[signal.household for signal in result])
    return result


def signal_get(*, actor: Membership, pk: int, log: bool = True) -> Signal:
    """One signal the actor may see (404 otherwise); the read is logged unless it is about to
    be changed (the service logs the change)."""
    signal = get_object_or_404(
        Signal.objects.visible_to(actor).select_related("household", "category"), pk=pk
    )
    if log:
        log_access(
            actor=actor, action=AccessLog.Action.VIEW, household=signal.household, obj=signal
        )
    return signal


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


def complexes_of(*, actor: Membership) -> QuerySet:
    return Complex.objects.filter(corporation_id=actor.organisation_id).order_by("name")


def categories_in_use() -> QuerySet:
    return SignalCategory.objects.filter(is_active=True)


def categories_all() -> QuerySet:
    return SignalCategory.objects.all()


def consents_of(*, household: Household) -> list:
    """The household's consents, those in force first; each carries `state` (in_force,
    withdrawn, ended, pending). Not logged: the household page that shows them is."""
    from django.db.models import Case, IntegerField, Value, When

    from cases.models import Consent

    today = timezone.localdate()
    state = Case(
        When(withdrawn_on__isnull=False, then=Value("withdrawn")),
        When(ends_on__lt=today, then=Value("ended")),
        When(given_on__gt=today, then=Value("pending")),
        default=Value("in_force"),
    )
    in_force_first = Case(
        When(state="in_force", then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(
        Consent.objects.filter(household=household)
        .select_related("receiving_organisation", "recorded_by", "withdrawn_recorded_by")
        .prefetch_related("categories")
        .annotate(state=state)
        .order_by(in_force_first, "-given_on", "-recorded_at", "-pk")
    )
