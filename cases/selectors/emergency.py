"""Reads of emergency access (noodtoegang, ADR 0010): the privacy officer's list, the one door
outside visible_to (finding the household at an address, before anything of it is shown), and
what the worker sees while the window is open. The limit, the requests past it and the weekly
overview (ADR 0018)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.access.log import log_access, log_shown, query_digest
from cases.models import (
    AccessLog,
    EmergencyAccess,
    EmergencyAccessRequest,
    Household,
    JointCase,
    Referral,
    Signal,
)
from cases.selectors.privacy import audit_read, visible_households
from cases.validators import bare_addition
from partners.models import Membership


@dataclass
class EmergencyEntry:
    access: EmergencyAccess
    person: str
    household: Household | None
    approved_by: str = ""


@dataclass
class RequestEntry:
    request: EmergencyAccessRequest
    person: str
    household: Household | None


@dataclass
class EmergencyListing:
    entries: list[EmergencyEntry]
    waiting: list[RequestEntry]


def _approver(access: EmergencyAccess) -> str:
    request = getattr(access, "request", None)
    return request.decided_by.name if request is not None else ""


def waiting_requests(*, actor: Membership) -> QuerySet:
    """Requests of the actor's organisation's people for emergency access that wait for a
    privacy officer's decision (not yet expired). The officer's list and the start page's
    count both read this."""
    return EmergencyAccessRequest.objects.filter(
        organisation_id=actor.organisation_id,
        status=EmergencyAccessRequest.Status.WACHT,
        expires_at__gt=timezone.now(),
    )


def emergency_accesses(*, actor: Membership, limit: int = 100) -> EmergencyListing:
    """The latest emergency accesses by the organisation's people or to its households, and
    its people's requests waiting for a decision; one audit row names their households."""
    org = actor.organisation_id
    accesses = list(
        EmergencyAccess.objects.filter(Q(organisation_id=org) | Q(household__corporation_id=org))
        .select_related("user", "organisation", "request__decided_by")
        .order_by("-started_at", "-pk")[:limit]
    )
    waiting = list(
        waiting_requests(actor=actor).select_related("user").order_by("requested_at", "pk")
    )
    ids = [a.household_id for a in accesses] + [r.household_id for r in waiting]
    shown = visible_households(actor, ids)
    audit_read(actor, what="emergency", detail={}, households=ids)
    return EmergencyListing(
        entries=[
            EmergencyEntry(
                access=access,
                person=access.user.name if access.organisation_id == org else "",
                household=shown.get(access.household_id),
                approved_by=_approver(access) if access.organisation_id == org else "",
            )
            for access in accesses
        ],
        waiting=[
            RequestEntry(request=r, person=r.user.name, household=shown.get(r.household_id))
            for r in waiting
        ],
    )


def emergency_access_get(*, actor: Membership, pk: int) -> EmergencyAccess:
    """The worker's own emergency access (404 for anyone else's). Not logged: its page is."""
    return get_object_or_404(
        EmergencyAccess.objects.select_related("household"),
        pk=pk,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
    )


def emergency_household_at(*, postcode: str, house_number: int, addition: str) -> list[Household]:
    """Every household at the address, whichever corporation's: emergency access is the one
    door outside visible_to. Nothing of the household is shown before the access is opened
    (with its reason and its log row)."""
    # A household merged into another is a closed record (ADR 0026): the one it went into is
    # the household at the address.
    households = Household.objects.filter(
        postcode=postcode,
        house_number=house_number,
        anonymised_at__isnull=True,
        merged_into__isnull=True,
    )
    if addition:
        wanted = bare_addition(addition)
        return [h for h in households if bare_addition(h.house_number_addition) == wanted]
    return list(households)


def emergency_lookup(
    *, actor: Membership, postcode: str, house_number: int, addition: str
) -> Household | None:
    """The household an emergency access may open at the address, or None: nothing there,
    several households, or one the actor can see already. The caller gives one neutral answer
    for all three, so the look-up is no oracle of other corporations' tenancies. Every look-up
    is logged: a search on the emergency basis naming the households found (one row each, so
    their corporations see it), what was typed as a digest (ADR 0010)."""
    found = emergency_household_at(postcode=postcode, house_number=house_number, addition=addition)
    detail = {"emergency": query_digest(f"{postcode} {house_number} {addition}")}
    if found:
        log_shown(
            actor=actor,
            households=found,
            detail=detail,
            legal_basis=AccessLog.LegalBasis.EMERGENCY,
        )
    else:
        log_access(
            actor=actor,
            action=AccessLog.Action.SEARCH,
            detail={**detail, "households": []},
            legal_basis=AccessLog.LegalBasis.EMERGENCY,
        )
    if len(found) != 1 or Household.objects.visible_to(actor).filter(pk=found[0].pk).exists():
        return None
    return found[0]


@dataclass
class EmergencyPage:
    access: EmergencyAccess
    open: bool
    household: Household | None = None
    residents: list = field(default_factory=list)
    open_signals: list = field(default_factory=list)
    partners: list = field(default_factory=list)


def emergency_page(*, actor: Membership, pk: int) -> EmergencyPage:
    """What an emergency access shows while its window is open, and nothing more: the address,
    contact data, residents, the categories of open signals and who works with the household;
    one access-log row on the emergency basis. Read through `in_emergency_for`, never
    visible_to (ADR 0010)."""
    access = emergency_access_get(actor=actor, pk=pk)
    household = (
        Household.objects.in_emergency_for(actor)
        .select_related("corporation", "neighbourhood")
        .filter(pk=access.household_id)
        .first()
    )
    if not access.is_open or household is None:
        return EmergencyPage(access=access, open=False)
    log_access(
        actor=actor,
        action=AccessLog.Action.VIEW,
        household=household,
        obj=access,
        legal_basis=AccessLog.LegalBasis.EMERGENCY,
    )
    referrals = Referral.objects.open().filter(household=household)
    partners = {household.corporation.name}
    partners |= set(referrals.values_list("to_organisation__name", flat=True))
    partners |= set(
        JointCase.objects.open()
        .filter(household=household)
        .values_list("participants__organisation__name", flat=True)
    )
    return EmergencyPage(
        access=access,
        open=True,
        household=household,
        residents=list(household.residents.all()),
        open_signals=list(
            Signal.objects.open().filter(household=household).select_related("category")
        ),
        partners=sorted(name for name in partners if name),
    )


# --- the limit, the requests past it, the weekly overview (ADR 0018) --------------------------


@dataclass(frozen=True)
class EmergencyAllowance:
    limit: int
    used: int
    period_days: int

    @property
    def left(self) -> int:
        return max(self.limit - self.used, 0)


def emergency_allowance(*, user_id: int) -> EmergencyAllowance:
    """How many emergency accesses the person opened in the last EMERGENCY_ACCESS_PERIOD_DAYS,
    whichever organisation they acted for, against EMERGENCY_ACCESS_LIMIT."""
    days = settings.EMERGENCY_ACCESS_PERIOD_DAYS
    since = timezone.now() - timedelta(days=days)
    used = EmergencyAccess.objects.counted_for(user_id, since=since).count()
    return EmergencyAllowance(limit=settings.EMERGENCY_ACCESS_LIMIT, used=used, period_days=days)


def emergency_request_get(*, actor: Membership, pk: int) -> EmergencyAccessRequest:
    """The worker's own request (404 for anyone else's). Not logged: it shows nothing of the
    household, only the worker's own reason and the decision."""
    return get_object_or_404(
        EmergencyAccessRequest.objects.select_related("decided_by"),
        pk=pk,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
    )


@dataclass
class RequestPage:
    entry: RequestEntry
    allowance: EmergencyAllowance


def emergency_request_for_officer(*, actor: Membership, pk: int) -> RequestPage:
    """A request of the officer's own organisation's people (404 for another organisation's),
    with how many emergency accesses its worker opened in the period; one audit row."""
    request = get_object_or_404(
        EmergencyAccessRequest.objects.select_related("user", "decided_by", "access"),
        pk=pk,
        organisation_id=actor.organisation_id,
    )
    shown = visible_households(actor, [request.household_id])
    audit_read(
        actor,
        what="emergency_request",
        detail={"emergency_request": request.pk},
        households=[request.household_id],
    )
    return RequestPage(
        entry=RequestEntry(
            request=request, person=request.user.name, household=shown.get(request.household_id)
        ),
        allowance=emergency_allowance(user_id=request.user_id),
    )


def week_of(day: date) -> tuple[date, date]:
    """The Monday the day's week starts, and the Monday after."""
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=7)


def _window(start: date) -> tuple[datetime, datetime]:
    first = timezone.make_aware(datetime.combine(start, time.min))
    return first, timezone.make_aware(datetime.combine(start + timedelta(days=7), time.min))


def emergency_week_counts(*, start: date) -> dict[int, int]:
    """Per organisation, its people's emergency accesses started and requests made in the week
    from `start` (an approved request and its access count once): what the weekly
    notification says. Ids only, nothing read."""
    first, last = _window(start)
    counts = Counter(
        EmergencyAccess.objects.filter(started_at__gte=first, started_at__lt=last).values_list(
            "organisation_id", flat=True
        )
    )
    counts.update(
        EmergencyAccessRequest.objects.filter(requested_at__gte=first, requested_at__lt=last)
        .exclude(access__started_at__gte=first, access__started_at__lt=last)
        .values_list("organisation_id", flat=True)
    )
    return dict(counts)


@dataclass
class PersonWeek:
    person: str
    accesses: int = 0
    approved: int = 0
    refused: int = 0
    waiting: int = 0
    expired: int = 0


@dataclass
class EmergencyWeek:
    start: date
    end: date  # the Sunday
    accesses: list[EmergencyEntry]
    requests: list[RequestEntry]
    people: list[PersonWeek]


def emergency_week(*, actor: Membership, start: date) -> EmergencyWeek:
    """The officer's overview of one week: who of the organisation opened which household in
    an emergency, with the reason and who approved it past the limit, and every request made
    with its decision; per person the counts. Only the organisation's own people; one audit
    row names the households."""
    org = actor.organisation_id
    first, last = _window(start)
    accesses = list(
        EmergencyAccess.objects.filter(organisation_id=org, started_at__gte=first)
        .filter(started_at__lt=last)
        .select_related("user", "organisation", "request__decided_by")
        .order_by("started_at", "pk")
    )
    requests = list(
        EmergencyAccessRequest.objects.filter(organisation_id=org, requested_at__gte=first)
        .filter(requested_at__lt=last)
        .select_related("user", "decided_by")
        .order_by("requested_at", "pk")
    )
    ids = [a.household_id for a in accesses] + [r.household_id for r in requests]
    shown = visible_households(actor, ids)
    audit_read(actor, what="emergency_week", detail={"week": start.isoformat()}, households=ids)
    people: dict[int, PersonWeek] = {}
    for access in accesses:
        people.setdefault(access.user_id, PersonWeek(access.user.name)).accesses += 1
    for request in requests:
        person = people.setdefault(request.user_id, PersonWeek(request.user.name))
        if request.is_expired:
            person.expired += 1
        elif request.status == EmergencyAccessRequest.Status.WACHT:
            person.waiting += 1
        elif request.status == EmergencyAccessRequest.Status.GOEDGEKEURD:
            person.approved += 1
        else:
            person.refused += 1
    return EmergencyWeek(
        start=start,
        end=start + timedelta(days=6),
        accesses=[
            EmergencyEntry(
                access=access,
                person=access.user.name,
                household=shown.get(access.household_id),
                approved_by=_approver(access),
            )
            for access in accesses
        ],
        requests=[
            RequestEntry(request=r, person=r.user.name, household=shown.get(r.household_id))
            for r in requests
        ],
        people=sorted(people.values(), key=lambda p: (-p.accesses, p.person)),
    )
