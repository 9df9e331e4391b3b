"""Emergency access (noodtoegang, ADR 0010): a worker opens a household outside their view with
a reason, for EMERGENCY_ACCESS_HOURS; logged and told to the privacy officers at once."""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.access.log import log_access
from cases.models import (
    AccessLog,
    EmergencyAccess,
    Household,
    HouseholdEvent,
)
from cases.services.notices import privacy_officers_notify
from partners.models import Membership, Notification

Kind = HouseholdEvent.Kind
Role = Membership.Role

EMERGENCY_REASON_MIN_LENGTH = 20
EMERGENCY_REASON_MAX_LENGTH = 1000
# A reason says what is going on: at least this many different words ("Test test test test"
# and "xxxxxxxxxxxxxxxxxxxx" say nothing, however long).
EMERGENCY_REASON_MIN_WORDS = 3
WORD = re.compile(r"[^\W\d_]{2,}")


def emergency_reason_problem(reason: str) -> str | None:
    """Why a reason does not say what the emergency is, or None: one check for the form and
    the service."""
    words = {word.lower() for word in WORD.findall(reason)}
    if len(words) < EMERGENCY_REASON_MIN_WORDS:
        return _(
            "Describe the emergency in your own words: what is going on, and why you need this "
            "household's data now. A word or letter repeated is no reason."
        )
    return None


# --- emergency access (noodtoegang) ------------------------------------------------------------


@transaction.atomic
def emergency_access_open(
    *, actor: Membership, household: Household, reason: str
) -> EmergencyAccess:
    """Open a household outside the worker's view, for EMERGENCY_ACCESS_HOURS, with a reason.
    Logged as emergency access; the privacy officers of the worker's organisation and of the
    household's corporation are told at once."""
    if actor.role != Role.MEDEWERKER:
        raise ValidationError(_("Only workers may use emergency access."))
    reason = reason.strip()
    if len(reason) < EMERGENCY_REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": _(
                    "Describe the emergency in at least %(count)s characters: why you need this "
                    "household's data now."
                )
                % {"count": EMERGENCY_REASON_MIN_LENGTH}
            }
        )
    if problem := emergency_reason_problem(reason):
        raise ValidationError({"reason": problem})
    if len(reason) > EMERGENCY_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason under %(count)s characters.")
                % {"count": EMERGENCY_REASON_MAX_LENGTH}
            }
        )
    household = Household.objects.select_for_update().get(pk=household.pk)
    current = EmergencyAccess.objects.active_for(actor).filter(household=household).first()
    if current is not None:
        raise ValidationError(
            _("You opened this household in an emergency already, until %(time)s.")
            % {"time": date_format(timezone.localtime(current.ends_at), "j F Y H:i")}
        )
    if Household.objects.visible_to(actor).filter(pk=household.pk).exists():
        raise ValidationError(
            _("You can already see this household: no emergency access is needed.")
        )
    now = timezone.now()
    access = EmergencyAccess.objects.create(
        household=household,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        role=actor.role,
        reason=reason,
        started_at=now,
        ends_at=now + timedelta(hours=settings.EMERGENCY_ACCESS_HOURS),
    )
    HouseholdEvent.objects.create(
        household=household,
        kind=Kind.EMERGENCY_ACCESS,
        at=now,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        data={"until": access.ends_at.isoformat()},
    )
    log_access(
        actor=actor,
        action=AccessLog.Action.EMERGENCY,
        household=household,
        obj=access,
        legal_basis=AccessLog.LegalBasis.EMERGENCY,
    )
    url = reverse("privacy:emergency_list") + f"#noodtoegang-{access.pk}"
    for organisation_id in dict.fromkeys([actor.organisation_id, household.corporation_id]):
        privacy_officers_notify(
            organisation_id=organisation_id,
            kind=Notification.Kind.EMERGENCY_ACCESS,
            url=url,
            data={"emergency_access": access.pk, "organisation": actor.organisation.name},
            dedupe_key=f"emergency_access:{access.pk}:{organisation_id}",
        )
    return access
