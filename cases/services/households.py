"""What every write about a household checks first."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.models import Household
from partners.models import Membership


def household_access_require(*, actor: Membership, household: Household) -> None:
    """Refuse a change to a household the actor may not see (visible_to): a service is the
    gate for callers that did not come through a page's selector."""
    if not Household.objects.visible_to(actor).filter(pk=household.pk).exists():
        raise ValidationError(_("You may not work with this household."))


def household_open_require(*, actor: Membership, household: Household) -> Household:
    """Before a new record about a household (a visit, a referral, a consent, a support
    package): refuse one the actor may not see, one merged into another (ADR 0026) or one
    whose data was erased, and lock its row until the transaction ends. A merge locks both
    households first, so it waits for a record being added (and moves it), or the record waits
    for the merge and is refused here: nothing new lands on a closed record. Returns the
    household as locked."""
    locked = (
        Household.objects.visible_to(actor)
        .select_for_update(no_key=True)
        .filter(pk=household.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(_("You may not work with this household."))
    household_not_merged_require(household=locked)
    if locked.anonymised_at is not None:
        # Its personal data was erased (the AVG): nothing new is written about it.
        raise ValidationError(_("This household's data was erased; nothing can be added to it."))
    return locked


def household_not_merged_require(*, household: Household) -> None:
    """Refuse work on a household merged into another: its record is closed (ADR 0026)."""
    if household.merged_into_id is not None:
        raise ValidationError(
            _(
                "This household was merged into another one; everything about it is there. "
                "Continue in that household."
            )
        )
