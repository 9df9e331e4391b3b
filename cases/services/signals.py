"""Writes about signals: a status change with its reason and history, and the administrators'
signal categories."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cases.access.log import log_access
from cases.models import (
    AccessLog,
    HouseholdEvent,
    Signal,
    SignalCategory,
)
from cases.services.households import household_access_require
from cases.workflow import (
    REASON_REQUIRED,
    SignalStatus,
    signal_can_move,
)
from partners.models import Membership, User
from partners.services.installation import Outcome, installation_admin_check

Kind = HouseholdEvent.Kind


@transaction.atomic
def signal_change_status(
    *, actor: Membership, signal: Signal, status: str, reason: str = ""
) -> Signal:
    """Move a signal to another status; closing it needs a reason."""
    signal = (
        Signal.objects.select_for_update(of=("self",)).select_related("household").get(pk=signal.pk)
    )
    household_access_require(actor=actor, household=signal.household)
    if status not in SignalStatus.values or not signal_can_move(signal.status, status):
        raise ValidationError(
            {
                "status": _("A signal that is ‘%(current)s’ cannot become ‘%(new)s’.")
                % {
                    "current": signal.get_status_display(),
                    "new": SignalStatus(status).label if status in SignalStatus.values else status,
                }
            }
        )
    reason = reason.strip()
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
    if status in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Give the reason for closing this signal.")})
    previous = signal.status
    signal.status = status
    signal.closed_reason = reason if status in REASON_REQUIRED else ""
    signal.status_changed_at = timezone.now()
    signal.save(update_fields=["status", "closed_reason", "status_changed_at"])
    HouseholdEvent.objects.create(
        household=signal.household,
        kind=Kind.SIGNAL_STATUS_CHANGED,
        at=signal.status_changed_at,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        signal=signal,
        data={"from": previous, "to": status, "reason": reason},
    )
    log_access(actor=actor, action=AccessLog.Action.UPDATE, household=signal.household, obj=signal)
    return signal


@transaction.atomic
def signal_category_save(
    *,
    user: User,
    category: SignalCategory | None = None,
    name: str,
    life_area: str,
    usual_partner_kind: str,
    is_active: bool = True,
    position: int = 100,
    is_common: bool = False,
) -> SignalCategory:
    """Add or change a signal category (installation administrators: every organisation's
    signals, agreements and dashboards use the list, ADR 0007). Categories are never deleted:
    one in use by signals is switched off instead."""
    if not user.is_installation_admin:
        raise PermissionDenied(
            _("Only an installation administrator may change signal categories.")
        )
    category = category or SignalCategory(code=slugify(name)[:50])
    duplicate = SignalCategory.objects.filter(name__iexact=name.strip()).exclude(pk=category.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("There is already a category with this name.")})
    category.name = name.strip()
    category.life_area = life_area
    category.usual_partner_kind = usual_partner_kind
    category.is_active = is_active
    category.position = position
    category.is_common = is_common
    if category.pk is None:
        base, number = category.code or "categorie", 1
        while SignalCategory.objects.filter(code=category.code).exists():
            number += 1
            category.code = f"{base[:45]}-{number}"
    category.save()
    return category


@transaction.atomic
def signal_category_setup(
    *,
    user: User,
    code: str,
    name: str,
    life_area: str,
    usual_partner_kind: str,
    is_active: bool | None = None,
    position: int | None = None,
    is_common: bool | None = None,
) -> tuple[SignalCategory, Outcome]:
    """Make or update the category with this code, from the set-up file (ADR 0020). What is
    not given (None) stays as it is, or takes the default for a new one; nothing is written
    when the category is as given."""
    installation_admin_check(user)
    category = SignalCategory.objects.select_for_update().filter(code=code).first()
    if category is not None:
        is_active = category.is_active if is_active is None else is_active
        position = category.position if position is None else position
        is_common = category.is_common if is_common is None else is_common
        wanted = (name.strip(), life_area, usual_partner_kind, is_active, position, is_common)
        there = (
            category.name,
            category.life_area,
            category.usual_partner_kind,
            category.is_active,
            category.position,
            category.is_common,
        )
        if wanted == there:
            return category, Outcome.UNCHANGED
    outcome = Outcome.CREATED if category is None else Outcome.UPDATED
    category = signal_category_save(
        user=user,
        category=category or SignalCategory(code=code),
        name=name,
        life_area=life_area,
        usual_partner_kind=usual_partner_kind,
        is_active=True if is_active is None else is_active,
        position=100 if position is None else position,
        is_common=bool(is_common),
    )
    return category, outcome
