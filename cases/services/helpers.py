"""Helpers (dragers, ADR 0032): a worker registers a resident or volunteer who offers help,
with their consent; the helper confirms, pauses, resumes or stops through their personal link
(the actor is then the link's Agent), and so may the worker. Every step is in the helper's
history with who did it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access.actors import Actor, is_agent
from cases.access.log import log_access
from cases.models import AccessLog, Helper, HelperEvent, PersonalLink
from cases.services.places import centroid_place
from cases.validators import normalise_postcode
from cases.workflow import (
    HELPER_TRANSITIONS,
    AccessBasis,
    ConsentHow,
    DayPart,
    HelperStatus,
    HelpKind,
    Weekday,
)
from partners.models import Membership

Kind = HelperEvent.Kind
# The fields a worker gives and changes; the rest follows from the steps.
FIELDS = (
    "first_name",
    "surname",
    "phone",
    "email",
    "offers",
    "days",
    "day_parts",
    "reach_metres",
    "own_street_only",
    "street_address",
    "postcode",
    "consent_given_on",
    "consent_how",
    "vog_seen_on",
    "vog_expires_on",
)
MOST_METRES = 50_000


def helper_event_add(*, helper: Helper, actor: Actor, kind: str, data: dict | None = None):
    """One step in the helper's history: by a worker (their user) or by a link (its agent)."""
    if is_agent(actor):
        who = {"agent": actor.reference, "agent_name": actor.name[:200]}
    else:
        who = {"user_id": actor.user_id}
    return HelperEvent.objects.create(helper=helper, kind=kind, data=data or {}, **who)


def _require_worker(actor: Actor) -> None:
    if is_agent(actor) or actor.role != Membership.Role.MEDEWERKER:
        raise ValidationError(_("Only a worker of this organisation may do this."))


def _cleaned(values: dict, *, today: date) -> dict:
    """The values checked and tidied; every problem at its field, in words a worker reads."""
    values = {key: values.get(key) for key in FIELDS}
    errors = {}
    for key in ("first_name", "surname", "phone", "street_address"):
        values[key] = " ".join((values[key] or "").split())
    values["email"] = (values["email"] or "").strip().lower()
    if not values["first_name"]:
        errors["first_name"] = _("Give the helper's first name.")
    if not values["phone"] and not values["email"]:
        errors["phone"] = _("Give a phone number or an e-mail address, so you can reach them.")
    for key, choices, message in (
        ("offers", HelpKind, _("Choose at least one kind of help.")),
        ("days", Weekday, _("Choose at least one day.")),
        ("day_parts", DayPart, _("Choose at least one part of the day.")),
    ):
        chosen = [value for value in choices.values if value in (values[key] or [])]
        if not chosen or len(chosen) != len(set(values[key] or [])):
            errors[key] = message
        values[key] = chosen
    values["own_street_only"] = bool(values["own_street_only"])
    metres = values["reach_metres"]
    if values["own_street_only"]:
        values["reach_metres"] = None
    elif metres is None:
        errors["reach_metres"] = _("Give how far they will go, or tick own street or complex.")
    elif not 1 <= metres <= MOST_METRES:
        errors["reach_metres"] = _("Give a distance between 1 and 50,000 metres.")
    try:
        values["postcode"] = normalise_postcode(values["postcode"] or "")
    except ValidationError as exc:
        errors["postcode"] = exc.messages
    if values["consent_given_on"] is None:
        errors["consent_given_on"] = _("Give the day the helper agreed to be registered.")
    elif values["consent_given_on"] > today:
        errors["consent_given_on"] = _("Consent cannot be given on a day still to come.")
    if values["consent_how"] not in ConsentHow.values:
        errors["consent_how"] = _("Choose how the helper agreed.")
    seen, until = values["vog_seen_on"], values["vog_expires_on"]
    if seen is None and until is not None:
        errors["vog_seen_on"] = _("Give the day you saw the VOG, or leave both VOG dates empty.")
    elif seen is not None:
        if seen > today:
            errors["vog_seen_on"] = _("You cannot have seen the VOG on a day still to come.")
        if until is None:
            errors["vog_expires_on"] = _("Give until when the VOG counts.")
        elif until <= seen:
            errors["vog_expires_on"] = _("The VOG must count until after the day you saw it.")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def helper_register(*, actor: Actor, **values) -> Helper:
    """Register a helper of the actor's organisation with their consent, recorded with who
    recorded it; a VOG shown is recorded as seen by the actor. Only a worker."""
    _require_worker(actor)
    values = _cleaned(values, today=timezone.localdate())
    helper = Helper.objects.create(
        organisation_id=actor.organisation_id,
        consent_recorded_by_id=actor.user_id,
        vog_seen_by_id=actor.user_id if values["vog_seen_on"] else None,
        # Where they live, roughly, for the distance to a request (ADR 0034).
        **centroid_place(values["postcode"]),
        **values,
    )
    helper_event_add(
        helper=helper,
        actor=actor,
        kind=Kind.REGISTERED,
        data={"consent_given_on": str(helper.consent_given_on), "consent_how": helper.consent_how},
    )
    log_access(
        actor=actor, action=AccessLog.Action.CREATE, obj=helper, legal_basis=AccessBasis.CONSENT
    )
    return helper


@transaction.atomic
def helper_update(*, actor: Actor, helper: Helper, **values) -> Helper:
    """Change a helper's details; the history names the fields changed, not their values."""
    _require_worker(actor)
    helper = Helper.objects.visible_to(actor).select_for_update().get(pk=helper.pk)
    if helper.status == HelperStatus.STOPPED:
        raise ValidationError(_("This helper has stopped; their details can no longer change."))
    values = _cleaned(values, today=timezone.localdate())
    changed = [key for key in FIELDS if getattr(helper, key) != values[key]]
    if not changed:
        return helper
    if "vog_seen_on" in changed or "vog_expires_on" in changed:
        helper.vog_seen_by_id = actor.user_id if values["vog_seen_on"] else None
    if {"consent_given_on", "consent_how"} & set(changed):
        helper.consent_recorded_by_id = actor.user_id
    for key in changed:
        setattr(helper, key, values[key])
    if {"postcode", "street_address"} & set(changed) or helper.latitude is None:
        # A move makes the old place wrong: the new postcode's centroid, or none (ADR 0034).
        for key, value in centroid_place(helper.postcode).items():
            setattr(helper, key, value)
    helper.save()
    helper_event_add(helper=helper, actor=actor, kind=Kind.CHANGED, data={"fields": changed})
    log_access(
        actor=actor, action=AccessLog.Action.UPDATE, obj=helper, legal_basis=AccessBasis.CONSENT
    )
    return helper


def _move(*, actor: Actor, helper: Helper, to: str, kind: str) -> Helper:
    if not is_agent(actor):
        _require_worker(actor)
    helper = Helper.objects.visible_to(actor).select_for_update().get(pk=helper.pk)
    if to not in HELPER_TRANSITIONS[helper.status]:
        raise ValidationError(
            _("This cannot be done now: the offer is %(status)s.")
            % {"status": helper.get_status_display()}
        )
    now = timezone.now()
    helper.status = to
    if to == HelperStatus.ACTIVE and helper.confirmed_at is None:
        helper.confirmed_at = now
    if to == HelperStatus.STOPPED:
        helper.stopped_at = now
    helper.save(update_fields=["status", "confirmed_at", "stopped_at"])
    helper_event_add(helper=helper, actor=actor, kind=kind)
    log_access(
        actor=actor, action=AccessLog.Action.UPDATE, obj=helper, legal_basis=AccessBasis.CONSENT
    )
    return helper


@transaction.atomic
def helper_confirm(*, actor: Actor, helper: Helper) -> Helper:
    """The helper confirms their offer through their link: from waiting to active."""
    if not is_agent(actor):
        raise ValidationError(_("Only the helper confirms their offer, through their link."))
    return _move(actor=actor, helper=helper, to=HelperStatus.ACTIVE, kind=Kind.CONFIRMED)


@transaction.atomic
def helper_pause(*, actor: Actor, helper: Helper) -> Helper:
    """Pause an active offer (the helper, or a worker for them)."""
    return _move(actor=actor, helper=helper, to=HelperStatus.PAUSED, kind=Kind.PAUSED)


@transaction.atomic
def helper_resume(*, actor: Actor, helper: Helper) -> Helper:
    """Take up a paused offer again."""
    return _move(actor=actor, helper=helper, to=HelperStatus.ACTIVE, kind=Kind.RESUMED)


@transaction.atomic
def helper_stop(*, actor: Actor, helper: Helper) -> Helper:
    """End the offer for good; every link of the helper stops working at once."""
    helper = _move(actor=actor, helper=helper, to=HelperStatus.STOPPED, kind=Kind.STOPPED)
    PersonalLink.objects.filter(helper=helper, revoked_at__isnull=True).update(
        revoked_at=helper.stopped_at
    )
    return helper
