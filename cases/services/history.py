"""The household's history: one event per step a service takes (append-only; the timeline and
the AVG overview read it)."""

from cases.models import HouseholdEvent, Referral
from partners.models import Membership


def household_event_add(
    *, actor: Membership, household, kind: str, referral: Referral | None = None, **data
) -> HouseholdEvent:
    """One event in the household's history, by the actor's person for its organisation; `data`
    holds what the timeline shows of it (ids and names of organisations, never free text of
    another organisation)."""
    return HouseholdEvent.objects.create(
        household=household,
        kind=kind,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        referral=referral,
        data=data,
    )
