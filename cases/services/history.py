"""The household's history: one event per step a service takes (append-only; the timeline and
the AVG overview read it)."""

from datetime import datetime

from django.utils import timezone

from cases.access.actors import Actor, history_by
from cases.models import HouseholdEvent, Referral


def household_event_add(
    *,
    actor: Actor,
    household,
    kind: str,
    referral: Referral | None = None,
    at: datetime | None = None,
    **data,
) -> HouseholdEvent:
    """One event in the household's history, by the actor's person (or, for an agent, its
    name) for its organisation; `data` holds what the timeline shows of it (ids and names of
    organisations, never free text of another organisation). `at` is now unless a step that
    writes several events gives them one moment."""
    return HouseholdEvent.objects.create(
        household=household,
        kind=kind,
        at=at or timezone.now(),
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        referral=referral,
        data={**data, **history_by(actor)},
    )
