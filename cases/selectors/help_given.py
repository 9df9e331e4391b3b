"""Reads for the follow-up of agreed matches (ADR 0035): the match a worker or a helper's link
records help given on, and the help recorded on it."""

from django.db.models import QuerySet
from django.http import Http404

from cases.access.actors import Actor, is_agent
from cases.access.log import log_access
from cases.models import AccessLog, Helper, HelpGiven, HelpMatch
from cases.workflow import AccessBasis


def matches_followed_by(actor: Actor) -> QuerySet:
    """The matches the actor follows up: a worker those of the requests of their organisation,
    a helper's personal link only its own helper's (through Helper.visible_to); an API client
    none."""
    if is_agent(actor):
        return HelpMatch.objects.filter(helper__in=Helper.objects.visible_to(actor).values("pk"))
    # The one door (cases.access.rules.help_match_q): a household no longer shared, or a
    # request of another organisation, is not followed up.
    return HelpMatch.objects.visible_to(actor)


def match_for_follow_up(*, actor: Actor, pk: int) -> HelpMatch:
    """One match the actor follows up, with its request, household and helper (404 for any
    other, no existence oracle). The read of its household is in the access log."""
    match = (
        matches_followed_by(actor)
        .select_related("request__household", "helper")
        .filter(pk=pk)
        .first()
    )
    if match is None:
        raise Http404
    log_access(
        actor=actor,
        action=AccessLog.Action.VIEW,
        household=match.request.household,
        obj=match,
        # A helper's link reads on the household's consent for the request; a worker on the
        # basis on which they see the household.
        legal_basis=AccessBasis.CONSENT if is_agent(actor) else None,
    )
    return match


def help_given_of(*, match: HelpMatch) -> list[HelpGiven]:
    """The help recorded on a match the caller fetched through match_for_follow_up, newest
    first."""
    return list(match.help_given.order_by("-given_on", "-pk"))
