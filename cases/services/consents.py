"""Consent of a household to share its data with one organisation for a purpose: recorded and
withdrawn by its own corporation. Withdrawal closes every door that rested on it at once."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access.log import log_access
from cases.models import AccessLog, Consent, Household, HouseholdEvent, SignalCategory
from cases.services import notices
from cases.services.history import household_event_add
from cases.services.households import household_open_require
from partners.models import Membership, Organisation

Kind = HouseholdEvent.Kind


def _own_household(actor: Membership, household: Household) -> None:
    if household.corporation_id != actor.organisation_id:
        raise ValidationError(_("Only the household's own corporation may do this."))


# --- consent ---------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor: Membership,
    household: Household,
    receiving_organisation: Organisation,
    purpose: str,
    categories: list[SignalCategory],
    given_how: str,
    given_on: date,
    ends_on: date | None = None,
) -> Consent:
    """Record that the household agreed to share its data with an organisation."""
    _own_household(actor, household)
    household = household_open_require(actor=actor, household=household)
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Consent cannot be given in the future.")})
    if ends_on and ends_on < given_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the date given.")})
    if not categories:
        raise ValidationError({"categories": _("Choose what the consent is about.")})
    if given_how not in Consent.GivenHow.values:
        raise ValidationError({"given_how": _("Choose how the consent was given.")})
    consent = Consent.objects.create(
        household=household,
        receiving_organisation=receiving_organisation,
        purpose=purpose.strip(),
        given_how=given_how,
        given_on=given_on,
        ends_on=ends_on,
        recorded_by_id=actor.user_id,
        recorded_for_id=actor.organisation_id,
    )
    consent.categories.set(categories)
    household_event_add(
        actor=actor,
        household=household,
        kind=Kind.CONSENT_RECORDED,
        to=receiving_organisation.name,
        categories=[c.name for c in categories],
    )
    log_access(actor=actor, action=AccessLog.Action.CREATE, household=household, obj=consent)
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Membership, consent: Consent, withdrawn_on: date) -> Consent:
    """Withdraw consent; the receiving organisation's access through it ends at once."""
    consent = Consent.objects.select_for_update().select_related("household").get(pk=consent.pk)
    _own_household(actor, consent.household)
    if consent.withdrawn_on:
        raise ValidationError(_("This consent has already been withdrawn."))
    if withdrawn_on > timezone.localdate() or withdrawn_on < consent.given_on:
        raise ValidationError(
            {"withdrawn_on": _("Give the date the household withdrew its consent.")}
        )
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_recorded_by_id = actor.user_id
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_on", "withdrawn_recorded_by", "withdrawn_at"])
    household_event_add(
        actor=actor,
        household=consent.household,
        kind=Kind.CONSENT_WITHDRAWN,
        to=consent.receiving_organisation.name,
    )
    log_access(
        actor=actor, action=AccessLog.Action.UPDATE, household=consent.household, obj=consent
    )
    notices.consent_withdrawn(consent)
    return consent
