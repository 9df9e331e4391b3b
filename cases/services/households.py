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
