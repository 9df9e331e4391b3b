"""Logging a home visit with the signals seen, in one transaction with its history and log."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.access.log import log_access
from cases.models import (
    AccessLog,
    HomeVisit,
    Household,
    HouseholdEvent,
    Signal,
    SignalCategory,
)
from cases.selectors.visits import visit_sent_before
from cases.services import notices
from cases.services.households import household_open_require
from cases.workflow import (
    OLD_VISIT,
    Severity,
    VisitKind,
    VisitOutcome,
    oldest_visit_day,
)
from partners.models import Membership

Kind = HouseholdEvent.Kind


@dataclass(frozen=True)
class SignalInput:
    category: SignalCategory
    severity: str
    description: str
    follow_up_on: date | None = None


def _check_visit_input(*, kind, outcome, visited_on, signals) -> None:
    """The service is the gate: it checks what a form would, for callers without one."""
    if kind not in VisitKind.values:
        raise ValidationError({"kind": _("Choose the kind of visit.")})
    if outcome not in VisitOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the visit.")})
    seen = set()
    for item in signals:
        if not item.category.is_active or item.category.pk in seen:
            raise ValidationError(_("Each signal needs its own category that is in use."))
        seen.add(item.category.pk)
        if item.severity not in Severity.values:
            raise ValidationError(_("Choose how serious this is."))
        if not item.description.strip():
            raise ValidationError(_("Describe in a few words what you saw."))
        if item.follow_up_on and item.follow_up_on < visited_on:
            raise ValidationError(_("A follow-up date cannot be before the visit."))


def _sent_before(*, actor: Membership, household: Household, device_key: uuid.UUID):
    """The visit stored before with this key; a key that came with a visit to another household
    is not this visit (a device must make a new key for each visit)."""
    earlier = visit_sent_before(actor=actor, device_key=device_key)
    if earlier is not None and earlier.household_id != household.pk:
        raise ValidationError(_("This visit's key came before with a visit to another household."))
    return earlier


def _plausible_made_at(made_at, *, visited_on: date, now: datetime) -> datetime | None:
    """When the device says the visit was saved there, if that can be true: a time with its
    zone, not before the day of the visit. A device's clock may run ahead; a visit is never
    made after it arrived."""
    if made_at is None or timezone.is_naive(made_at):
        return None
    if timezone.localdate(made_at) < visited_on:
        return None
    return min(made_at, now)


@transaction.atomic
def home_visit_log(
    *,
    actor: Membership,
    household: Household,
    visited_on: date,
    kind: str,
    outcome: str,
    notes: str = "",
    signals: list[SignalInput] = (),
    device_key: uuid.UUID | None = None,
    made_at: datetime | None = None,
) -> HomeVisit:
    """Log a home visit and the signals seen there, all or nothing. A visit sent with a key made
    on the device is stored once per person and key: a repeated send returns the first visit
    (ADR 0030); made_at is when it was saved there, kept beside when it arrived."""
    if device_key is not None:
        earlier = _sent_before(actor=actor, household=household, device_key=device_key)
        if earlier is not None:
            return earlier
    household = household_open_require(actor=actor, household=household)
    if device_key is not None:
        # A second send of the same key waited on the household's lock for the first one.
        earlier = _sent_before(actor=actor, household=household, device_key=device_key)
        if earlier is not None:
            return earlier
    _check_visit_input(kind=kind, outcome=outcome, visited_on=visited_on, signals=signals)
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("The date of a visit cannot be in the future.")})
    oldest = oldest_visit_day(timezone.localdate())
    if visited_on < oldest:
        raise ValidationError({"visited_on": OLD_VISIT % {"date": date_format(oldest, "j F Y")}})
    if outcome == VisitOutcome.SIGNALEN and not signals:
        raise ValidationError(
            {"outcome": _("Tick at least one signal, or choose another outcome.")}
        )
    if outcome != VisitOutcome.SIGNALEN and signals:
        raise ValidationError({"outcome": _("You ticked signals: choose the outcome ‘signals’.")})
    now = timezone.now()
    made_at = _plausible_made_at(made_at, visited_on=visited_on, now=now)
    visit = HomeVisit.objects.create(
        household=household,
        visited_on=visited_on,
        kind=kind,
        outcome=outcome,
        notes=notes.strip(),
        created_by_id=actor.user_id,
        organisation_id=actor.organisation_id,
        created_at=now,
        made_at=made_at,
        device_key=device_key,
    )
    on_device = {"made_at": made_at.isoformat()} if made_at is not None else {}
    events = [
        HouseholdEvent(
            household=household,
            kind=Kind.VISIT_LOGGED,
            at=now,
            user_id=actor.user_id,
            organisation_id=actor.organisation_id,
            visit=visit,
            data={
                "kind": kind,
                "outcome": outcome,
                "visited_on": visited_on.isoformat(),
                **on_device,
            },
        )
    ]
    for item in signals:
        signal = Signal.objects.create(
            household=household,
            visit=visit,
            category=item.category,
            severity=item.severity,
            description=item.description.strip(),
            follow_up_on=item.follow_up_on,
            created_by_id=actor.user_id,
            organisation_id=actor.organisation_id,
            created_at=now,
            status_changed_at=now,
        )
        events.append(
            HouseholdEvent(
                household=household,
                kind=Kind.SIGNAL_OPENED,
                at=now,
                user_id=actor.user_id,
                organisation_id=actor.organisation_id,
                visit=visit,
                signal=signal,
                data={"category": item.category.name, "severity": item.severity},
            )
        )
    HouseholdEvent.objects.bulk_create(events)
    log_access(
        actor=actor,
        action=AccessLog.Action.CREATE,
        household=household,
        obj=visit,
        detail={**on_device, "device_key": str(device_key)} if device_key is not None else None,
    )
    notices.acute_signals_logged(visit, [item.severity for item in signals])
    return visit
