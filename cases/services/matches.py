"""Matches (koppelingen, ADR 0033): a worker proposes a helper of their own organisation for an
open request; the helper accepts or declines through their personal link; the worker records
that the household agrees. In either order: when both have, the match is agreed and only then
do first name and contact details reach the helper. Either side ends it with a reason.

Every step is in the household's history (HELP_*), the helper's (HelperEvent, the link as
agent when the helper acts) and the access log, and touches `last_activity_at`. The worker who
proposed hears of the helper's answer through the notification outbox (ADR 0011)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access.actors import Actor
from cases.access.log import log_access
from cases.access.rules import is_link
from cases.models import AccessLog, Helper, HelperEvent, HelpMatch, HelpRequest, HouseholdEvent
from cases.services.help_requests import help_worker_require, match_close, reason_require
from cases.services.helpers import helper_event_add, helper_stop
from cases.services.history import household_event_add
from cases.services.households import household_open_require
from cases.workflow import MATCH_ACTIVE, AccessBasis, HelperStatus, HelpRequestStatus, MatchStatus
from partners.models import Notification
from partners.services.notifications import notify

Event = HouseholdEvent.Kind
Step = HelperEvent.Kind
Side = HelpMatch.Side
# Through the link the helper reads and acts on the household's consent to this request.
LINK_BASIS = AccessBasis.CONSENT


def _step(*, actor: Actor, match: HelpMatch, event: str, step: str | None, now: datetime, **data):
    """One step's traces: the household's history, the helper's (unless `step` is None: the
    caller wrote it), the access log."""
    request = match.request
    household_event_add(
        actor=actor,
        household=request.household,
        kind=event,
        at=now,
        request=request.pk,
        match=match.pk,
        **data,
    )
    if step is not None:
        helper_event_add(
            helper=match.helper,
            actor=actor,
            kind=step,
            data={"request": request.pk, "match": match.pk, **data},
        )
    log_access(
        actor=actor,
        action=AccessLog.Action.UPDATE,
        household=request.household,
        obj=match,
        legal_basis=LINK_BASIS if is_link(actor) else None,
    )


def _locked(actor: Actor, match: HelpMatch) -> HelpMatch:
    """The match as the actor may see it, locked with its request (refused otherwise)."""
    found = (
        HelpMatch.objects.visible_to(actor)
        .select_for_update(of=("self", "request"))
        .select_related("request__household", "helper")
        .filter(pk=match.pk)
        .first()
    )
    if found is None:
        raise ValidationError(_("You may not work with this match."))
    return found


def helper_fit_require(match: HelpMatch) -> None:
    """Before a helper says yes and before the contact details go: the helper still takes part
    and, for a request that needs one, still has a valid VOG (it may have ended since the
    proposal)."""
    if match.helper.status != HelperStatus.ACTIVE:
        raise ValidationError(_("This helper is paused or stopped, so the help cannot be agreed."))
    if match.request.needs_vog and not match.helper.vog_valid():
        raise ValidationError(
            _("This request needs a VOG, and the helper has no valid one now: it cannot be agreed.")
        )


def _agree_if_both(*, actor: Actor, match: HelpMatch, now: datetime) -> None:
    """When the helper accepted and the household agreed: agreed, and the request matched."""
    if match.helper_answered_at is None or match.household_agreed_at is None:
        return
    helper_fit_require(match)
    match.status = MatchStatus.AGREED
    match.agreed_at = now
    match.request.status = HelpRequestStatus.MATCHED
    match.request.save(update_fields=["status"])
    _step(actor=actor, match=match, event=Event.HELP_AGREED, step=Step.AGREED, now=now)


def _tell_proposer(match: HelpMatch, answer: str) -> None:
    notify(
        recipients=[match.proposed_by],
        kind=Notification.Kind.HELP_MATCH,
        organisation=match.helper.organisation,
        url=reverse("cases:help_request_detail", args=[match.request_id]),
        data={"answer": answer},
    )


@transaction.atomic
def match_propose(
    *, actor: Actor, request: HelpRequest, helper: Helper, explanation=()
) -> HelpMatch:
    """Propose a helper of the actor's organisation for an open request. Refused: a helper not
    active or of another organisation, a request not open, a live match of this helper for
    it already, and a request that needs a VOG for a helper without one valid today."""
    help_worker_require(actor)
    locked = HelpRequest.objects.visible_to(actor).select_for_update().filter(pk=request.pk)
    request = locked.first()
    if request is None:
        raise ValidationError(_("You may not work with this request."))
    request.household = household_open_require(actor=actor, household=request.household)
    helper = Helper.objects.visible_to(actor).select_for_update().filter(pk=helper.pk).first()
    if helper is None:
        raise ValidationError({"helper": _("Choose a helper of your own organisation.")})
    if helper.status != HelperStatus.ACTIVE:
        raise ValidationError({"helper": _("This helper's offer is not active.")})
    if request.status != HelpRequestStatus.OPEN:
        raise ValidationError(_("This request is not open: nobody can be proposed for it."))
    if request.needs_vog and not helper.vog_valid():
        raise ValidationError(
            {"helper": _("This request needs a VOG, and this helper has none valid today.")}
        )
    if request.matches.filter(helper=helper, status__in=MATCH_ACTIVE).exists():
        raise ValidationError({"helper": _("This helper is already proposed for this request.")})
    now = timezone.now()
    match = HelpMatch.objects.create(
        request=request,
        helper=helper,
        explanation=[str(line)[:200] for line in explanation][:10],
        proposed_by_id=actor.user_id,
        proposed_at=now,
        last_activity_at=now,
    )
    _step(
        actor=actor,
        match=match,
        event=Event.HELP_PROPOSED,
        step=Step.PROPOSED,
        now=now,
    )
    return match


@transaction.atomic
def match_answer(*, actor: Actor, match: HelpMatch, accept: bool, reason: str = "") -> HelpMatch:
    """The helper accepts or declines a proposal, through their link (with a reason if they
    like). The worker who proposed is told."""
    if not is_link(actor):
        raise ValidationError(_("Only the helper answers a proposal, through their link."))
    match = _locked(actor, match)
    if match.status != MatchStatus.PROPOSED:
        raise ValidationError(_("This proposal has been answered already."))
    reason = " ".join((reason or "").split())[:300]
    now = timezone.now()
    match.helper_answered_at = now
    match.last_activity_at = now
    if accept:
        helper_fit_require(match)
        match.status = MatchStatus.ACCEPTED
        _step(actor=actor, match=match, event=Event.HELP_ACCEPTED, step=Step.ACCEPTED, now=now)
        _agree_if_both(actor=actor, match=match, now=now)
    else:
        match.status = MatchStatus.DECLINED
        match.end_reason = reason
        data = {"reason": reason} if reason else {}
        _step(
            actor=actor, match=match, event=Event.HELP_DECLINED, step=Step.DECLINED, now=now, **data
        )
    match.save()
    _tell_proposer(match, match.status)
    return match


@transaction.atomic
def match_household_agrees(*, actor: Actor, match: HelpMatch) -> HelpMatch:
    """The worker records that the household agrees with the proposed helper, before or after
    the helper accepted."""
    help_worker_require(actor)
    match = _locked(actor, match)
    household_open_require(actor=actor, household=match.request.household)
    if match.status not in (MatchStatus.PROPOSED, MatchStatus.ACCEPTED):
        raise ValidationError(_("This match can no longer be agreed to."))
    if match.household_agreed_at is not None:
        raise ValidationError(_("The household's agreement is recorded already."))
    now = timezone.now()
    match.household_agreed_at = now
    match.household_agreed_recorded_by_id = actor.user_id
    match.last_activity_at = now
    if match.helper_answered_at is None:
        # Half of it: the household's side, waiting for the helper (not the helper's step).
        _step(
            actor=actor,
            match=match,
            event=Event.HELP_AGREED,
            step=None,
            now=now,
            side=Side.HOUSEHOLD,
        )
    _agree_if_both(actor=actor, match=match, now=now)
    match.save()
    return match


def _end(*, actor: Actor, match: HelpMatch, side: str, reason: str, now: datetime) -> None:
    """End one live match (the caller holds its row): the request open again unless another
    match for it is agreed; the household's history; the worker who proposed told when the
    helper ends it."""
    match_close(actor=actor, match=match, side=side, reason=reason, now=now)
    request = match.request
    if request.status == HelpRequestStatus.MATCHED:
        others = request.matches.exclude(pk=match.pk).filter(status=MatchStatus.AGREED)
        if not others.exists():
            request.status = HelpRequestStatus.OPEN
            request.save(update_fields=["status"])
    # The helper's history has it from match_close.
    _step(
        actor=actor, match=match, event=Event.HELP_ENDED, step=None, now=now, by=side, reason=reason
    )
    if side == Side.HELPER:
        _tell_proposer(match, MatchStatus.ENDED)


@transaction.atomic
def helper_stop_ending_matches(*, actor: Actor, helper: Helper) -> Helper:
    """A helper stops for good (cases.services.helpers.helper_stop): first their live matches
    end on their side, so no household waits for help that will not come and no request stays
    matched to them; the workers who proposed are told."""
    now = timezone.now()
    live = (
        HelpMatch.objects.select_for_update(of=("self", "request"))
        .select_related("request__household", "helper")
        .filter(helper_id=helper.pk, status__in=MATCH_ACTIVE)
    )
    for match in live:
        _end(actor=actor, match=match, side=Side.HELPER, reason=_("The helper stopped."), now=now)
    return helper_stop(actor=actor, helper=helper)


@transaction.atomic
def match_end(*, actor: Actor, match: HelpMatch, reason: str, side: str = Side.WORKER):
    """End a live match with a reason: the helper through their link (an agreed match), or a
    worker for the household or for themselves. The request is open again unless another
    match for it is agreed."""
    if is_link(actor):
        side = Side.HELPER
    else:
        help_worker_require(actor)
        if side not in (Side.HOUSEHOLD, Side.WORKER):
            raise ValidationError({"side": _("Choose who ends it.")})
    match = _locked(actor, match)
    reason = reason_require(reason)
    if match.status not in MATCH_ACTIVE:
        raise ValidationError(_("This match has ended already."))
    if side == Side.HELPER and match.status == MatchStatus.PROPOSED:
        # A yes can be taken back (accepted or agreed); a proposal is answered instead.
        raise ValidationError(_("Only agreed help can be ended here; answer a proposal instead."))
    _end(actor=actor, match=match, side=side, reason=reason, now=timezone.now())
    return match
