"""Requests for informal help (vragen, ADR 0033): a worker turns an open signal or an open
action of the household's joint case into a request, with the household's consent for exactly
this; and closes it when it is no longer needed, which ends its live matches. Every step is in
the household's history and the access log."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access.actors import Actor, is_agent
from cases.access.log import log_access
from cases.models import (
    AccessLog,
    CaseAction,
    HelperEvent,
    HelpMatch,
    HelpRequest,
    Household,
    HouseholdEvent,
    JointCase,
    Signal,
)
from cases.services.helpers import helper_event_add
from cases.services.history import household_event_add
from cases.services.households import household_open_require
from cases.workflow import (
    MATCH_ACTIVE,
    ConsentHow,
    DayPart,
    HelpKind,
    HelpRequestStatus,
    MatchStatus,
    Weekday,
)
from partners.models import Membership

Event = HouseholdEvent.Kind
# What a worker types for a request.
FIELDS = (
    "kind",
    "description",
    "days",
    "day_parts",
    "place",
    "needs_vog",
    "consent_given_on",
    "consent_how",
)

# How old the household's consent for a request may be when the request is made.
CONSENT_FRESH = timedelta(days=90)


def help_worker_require(actor: Actor) -> None:
    """Requests and matches are a worker's (a person, role medewerker), never a link's or a
    system's."""
    if is_agent(actor) or actor.role != Membership.Role.MEDEWERKER:
        raise ValidationError(_("Only a worker of this organisation may do this."))


def _cleaned(values: dict, *, today: date) -> dict:
    """The request's values checked and tidied; every problem at its field."""
    values = {key: values.get(key) for key in FIELDS}
    errors = {}
    if values["kind"] not in HelpKind.values:
        errors["kind"] = _("Choose the kind of help.")
    for key in ("description", "place"):
        values[key] = " ".join((values[key] or "").split())
    if not values["description"]:
        errors["description"] = _("Say what help is needed.")
    elif len(values["description"]) > 300:
        errors["description"] = _("Keep it to 300 characters.")
    if len(values["place"]) > 200:
        errors["place"] = _("Keep it to 200 characters.")
    for key, choices in (("days", Weekday), ("day_parts", DayPart)):
        given = values[key] or []
        chosen = [value for value in choices.values if value in given]
        if len(chosen) != len(set(given)):
            errors[key] = _("Choose from the list.")
        values[key] = chosen
    values["needs_vog"] = bool(values["needs_vog"])
    if values["consent_given_on"] is None:
        errors["consent_given_on"] = _("Give the day the household agreed to this request.")
    elif values["consent_given_on"] > today:
        errors["consent_given_on"] = _("Consent cannot be given on a day still to come.")
    elif values["consent_given_on"] < today - CONSENT_FRESH:
        # Consent for this request is asked for this request, not found in an old file.
        errors["consent_given_on"] = _(
            "This consent is more than 90 days old: ask the household again for this request."
        )
    if values["consent_how"] not in ConsentHow.values:
        errors["consent_how"] = _("Choose how the household agreed.")
    if errors:
        raise ValidationError(errors)
    return values


def _source(*, actor: Actor, household: Household, signal, action) -> dict:
    """The open signal or open action of the household's joint case the request comes from,
    as the actor may see it; refused otherwise."""
    if (signal is None) == (action is None):
        raise ValidationError({"source": _("Choose one open signal or one open action.")})
    if signal is not None:
        found = Signal.objects.visible_to(actor).open().filter(pk=signal.pk, household=household)
        if not found.exists():
            raise ValidationError({"source": _("Choose an open signal of this household.")})
        return {"signal_id": signal.pk}
    cases = JointCase.objects.visible_to(actor).open().filter(household=household)
    found = CaseAction.objects.filter(pk=action.pk, case__in=cases, done_at__isnull=True)
    if not found.exists():
        raise ValidationError(
            {"source": _("Choose an open action of this household's joint case.")}
        )
    return {"action_id": action.pk}


@transaction.atomic
def help_request_create(
    *,
    actor: Actor,
    household: Household,
    signal: Signal | None = None,
    action: CaseAction | None = None,
    **values,
) -> HelpRequest:
    """A request for informal help from one open signal or one open joint-case action of this
    household, with the household's consent for this purpose. Refused for a household the
    actor may not see, or one merged or erased."""
    help_worker_require(actor)
    household = household_open_require(actor=actor, household=household)
    source = _source(actor=actor, household=household, signal=signal, action=action)
    values = _cleaned(values, today=timezone.localdate())
    request = HelpRequest.objects.create(
        household=household,
        organisation_id=actor.organisation_id,
        consent_recorded_by_id=actor.user_id,
        created_by_id=actor.user_id,
        **source,
        **values,
    )
    household_event_add(
        actor=actor,
        household=household,
        kind=Event.HELP_REQUESTED,
        request=request.pk,
        help_kind=request.kind,
    )
    log_access(actor=actor, action=AccessLog.Action.CREATE, household=household, obj=request)
    return request


def match_close(*, actor: Actor, match: HelpMatch, side: str, reason: str, now) -> None:
    """End one live match (the caller holds its row): its fields and the helper's history."""
    match.status = MatchStatus.ENDED
    match.ended_at = now
    match.ended_by = side
    match.end_reason = reason
    match.last_activity_at = now
    match.save(update_fields=["status", "ended_at", "ended_by", "end_reason", "last_activity_at"])
    helper_event_add(
        helper=match.helper,
        actor=actor,
        kind=HelperEvent.Kind.MATCH_ENDED,
        data={"match": match.pk, "by": side},
    )


def reason_require(reason: str) -> str:
    """A reason given, tidied; refused at its field when empty or too long."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep it to 300 characters.")})
    return reason


@transaction.atomic
def help_request_close(*, actor: Actor, request: HelpRequest, reason: str) -> HelpRequest:
    """Close a request no longer needed, with a reason; its live matches end with it."""
    help_worker_require(actor)
    request = HelpRequest.objects.visible_to(actor).select_for_update().filter(pk=request.pk)
    request = request.first()
    if request is None:
        raise ValidationError(_("You may not work with this request."))
    reason = reason_require(reason)
    if request.status == HelpRequestStatus.CLOSED:
        raise ValidationError(_("This request is closed already."))
    now = timezone.now()
    live = request.matches.select_for_update().select_related("helper")
    for match in live.filter(status__in=MATCH_ACTIVE):
        match_close(actor=actor, match=match, side=HelpMatch.Side.WORKER, reason=reason, now=now)
    request.status = HelpRequestStatus.CLOSED
    request.closed_at = now
    request.close_reason = reason
    request.save(update_fields=["status", "closed_at", "close_reason"])
    household_event_add(
        actor=actor,
        household=request.household,
        kind=Event.HELP_REQUEST_CLOSED,
        at=now,
        request=request.pk,
        reason=reason,
    )
    log_access(
        actor=actor, action=AccessLog.Action.UPDATE, household=request.household, obj=request
    )
    return request


def help_requests_erased(*, actor: Actor, household_ids: list[int], now) -> None:
    """A household's data was erased on its request (cases.services.avg): its open requests
    close and their live matches end, so no helper's link shows them any longer; what was
    written about it (the request, where, the reasons) is emptied by the anonymisation."""
    requests = HelpRequest.objects.select_for_update().filter(household_id__in=household_ids)
    for request in requests.exclude(status=HelpRequestStatus.CLOSED):
        live = request.matches.select_for_update().select_related("helper")
        for match in live.filter(status__in=MATCH_ACTIVE):
            match_close(actor=actor, match=match, side=HelpMatch.Side.HOUSEHOLD, reason="", now=now)
        request.status = HelpRequestStatus.CLOSED
        request.closed_at = now
        request.save(update_fields=["status", "closed_at"])
