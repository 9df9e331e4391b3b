"""Requests for informal help and their matches as workers read them (ADR 0033): the
household page's section, what a request can come from, a request's page with its matches and
steps, and the helpers a worker may propose. Every read starts from visible_to(actor)."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.access.actors import Actor
from cases.access.log import log_access
from cases.models import (
    AccessLog,
    CaseAction,
    Helper,
    HelpMatch,
    HelpRequest,
    Household,
    HouseholdEvent,
    JointCase,
    Signal,
)
from cases.workflow import AccessBasis, HelperStatus

Event = HouseholdEvent.Kind
HELP_EVENTS = [kind for kind in Event.values if kind.startswith("help_")]


def _with_matches(requests):
    return requests.prefetch_related(
        Prefetch("matches", queryset=HelpMatch.objects.select_related("helper"))
    )


def household_help_requests(*, actor: Actor, household: Household) -> list[HelpRequest]:
    """The household's requests, newest first, each with its matches and helpers (two
    queries, however many). The household page that shows them is logged already."""
    requests = HelpRequest.objects.visible_to(actor).filter(household=household)
    return list(_with_matches(requests))


@dataclass(frozen=True)
class Sources:
    """What a request can come from: the household's open signals and the open actions of its
    open joint case, as the actor sees them."""

    signals: list[Signal]
    actions: list[CaseAction]


def help_request_sources(*, actor: Actor, household: Household) -> Sources:
    signals = Signal.objects.visible_to(actor).open().filter(household=household)
    cases = JointCase.objects.visible_to(actor).open().filter(household=household)
    actions = CaseAction.objects.filter(case__in=cases, done_at__isnull=True)
    return Sources(
        signals=list(signals.select_related("category").order_by("-created_at")),
        actions=list(actions.order_by("due_on", "pk")),
    )


def help_household_get(*, actor: Actor, pk: int) -> Household:
    """The household a request is made for, if the actor may see it (404 otherwise); logged."""
    household = get_object_or_404(Household.objects.visible_to(actor), pk=pk)
    log_access(actor=actor, action=AccessLog.Action.VIEW, household=household, obj=household)
    return household


@dataclass(frozen=True)
class RequestPage:
    request: HelpRequest
    matches: list[HelpMatch]
    steps: list[HouseholdEvent]


def help_request_page(*, actor: Actor, pk: int) -> RequestPage:
    """A request the actor may see (404 otherwise), its matches with their helpers and the
    household's history of it; the read is logged. A constant number of queries."""
    request = get_object_or_404(
        HelpRequest.objects.visible_to(actor).select_related(
            "household", "signal__category", "action", "created_by"
        ),
        pk=pk,
    )
    log_access(actor=actor, action=AccessLog.Action.VIEW, household=request.household, obj=request)
    matches = list(request.matches.select_related("helper", "proposed_by"))
    steps = list(
        HouseholdEvent.objects.filter(
            household=request.household, kind__in=HELP_EVENTS, data__request=request.pk
        ).select_related("user", "organisation")
    )
    # The household's history names the match, not the helper (a helper's name is theirs, and
    # partners who see the household read its history): the name comes from the match here.
    names = {match.pk: match.helper.first_name for match in matches}
    for step in steps:
        step.helper_name = names.get(step.data.get("match"), "")
    return RequestPage(request=request, matches=matches, steps=steps)


def help_request_for_change(*, actor: Actor, pk: int) -> HelpRequest:
    """A request the actor may change (404 otherwise). Not logged: the change is."""
    return get_object_or_404(HelpRequest.objects.visible_to(actor), pk=pk)


def help_match_for_change(*, actor: Actor, pk: int) -> HelpMatch:
    """A match the actor may change (404 otherwise). Not logged: the change is."""
    return get_object_or_404(HelpMatch.objects.visible_to(actor), pk=pk)


def helpers_offering(*, actor: Actor, request: HelpRequest) -> list[Helper]:
    """The active helpers of the actor's organisation who offer this kind of help (and, where
    the request needs one, have a VOG valid today), by first name; one query. The list of
    names is logged as a search of helpers."""
    helpers = Helper.objects.visible_to(actor).filter(status=HelperStatus.ACTIVE)
    if request.needs_vog:
        helpers = helpers.filter(vog_expires_on__gte=timezone.localdate())
    # Filtered here, not by a JSON lookup: SQLite has no JSON containment (ARCHITECTURE.md).
    offering = [
        helper
        for helper in helpers.only("pk", "first_name", "surname", "offers")
        if request.kind in helper.offers
    ]
    log_access(
        actor=actor,
        action=AccessLog.Action.SEARCH,
        detail={"helpers": [helper.pk for helper in offering], "request": request.pk},
        legal_basis=AccessBasis.CONSENT,
    )
    return offering
