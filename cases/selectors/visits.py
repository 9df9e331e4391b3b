"""Reads for the home visits kept on a device (ADR 0030): a visit already stored for a key, the
household a waiting visit may still be added to, and why not when it may not."""

import uuid

from django.utils.translation import gettext as _

from cases.models import AccessLog, HomeVisit, Household
from partners.models import Membership


def visit_sent_before(*, actor: Membership, device_key: uuid.UUID) -> HomeVisit | None:
    """The visit this person already stored with this key made on their device, if any."""
    return HomeVisit.objects.filter(created_by_id=actor.user_id, device_key=device_key).first()


def visit_household(*, actor: Membership, pk: int) -> Household | None:
    """The household a waiting visit is for, if the actor may still add to it (None if not:
    the caller explains the conflict rather than answering 404). An erased household takes no
    new free text from a device that kept it from before the erasure."""
    return Household.objects.visible_to(actor).filter(pk=pk, anonymised_at__isnull=True).first()


def visit_conflict(*, actor: Membership, pk: int) -> str:
    """Why a visit kept on the device for household pk cannot be stored now, and what to do.
    The particular reason is told only to a person who opened that household before for the
    organisation they act for now (the access log says so); anyone else gets the general one,
    so this is no existence oracle."""
    opened = AccessLog.objects.filter(
        user_id=actor.user_id, organisation_id=actor.organisation_id, household_id=pk
    ).exists()
    household = Household.objects.filter(pk=pk).first() if opened else None
    if household is None:
        return _(
            "You can no longer see this household, so the visit cannot be saved. Ask your "
            "coordinator what to do; the visit stays on this device until you delete it."
        )
    if household.anonymised_at is not None:
        return _(
            "This household's data was erased, so no visit can be added. Pass on anything "
            "urgent to your coordinator, then delete the visit from this device."
        )
    if household.merged_into_id is not None:
        return _(
            "This household was merged into another one. Open that household and log the visit "
            "there, then delete this one from the device."
        )
    was_own = AccessLog.objects.filter(
        user_id=actor.user_id, household_id=pk, household_corporation_id=actor.organisation_id
    ).exists()
    if household.corporation_id != actor.organisation_id and was_own:
        return _(
            "This household now belongs to another corporation, so you cannot add a visit. "
            "Tell that corporation what is urgent, then delete the visit from this device."
        )
    return _(
        "This household is no longer shared with your organisation (the referral or the "
        "consent ended). Ask the corporation to share it again or pass on what is urgent, "
        "then delete the visit from this device."
    )
