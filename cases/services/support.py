"""Support packages: requested for a household by a worker of an organisation that works with it,
approved or declined by the organisation that pays, then delivered. Each step is an event in the
household's history and a row in the access log, in one transaction."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.access.bases import DECIDERS, payer_choices
from cases.access.log import log_access
from cases.models import (
    AccessLog,
    Household,
    HouseholdEvent,
    SupportPackage,
)
from cases.services.households import household_open_require
from cases.workflow import PackageItem, PackageStatus, package_can_move
from partners.models import Membership, Organisation

Kind = HouseholdEvent.Kind
Role = Membership.Role
MAX_AMOUNT = Decimal("99999.99")


def _may_work_with(actor: Membership, household: Household) -> None:
    if not Household.objects.visible_to(actor).filter(pk=household.pk).exists():
        raise ValidationError(_("You may not work with this household."))


def _event(*, actor: Membership, package: SupportPackage, kind: str, **data) -> None:
    HouseholdEvent.objects.create(
        household_id=package.household_id,
        kind=kind,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        data={
            "package": package.pk,
            "item": package.item,
            "amount": str(package.amount),
            "payer": package.paying_organisation.name,
            **data,
        },
    )


def amount_problem(amount: Decimal | None) -> str | None:
    if amount is None or amount <= 0:
        return _("Give an amount of more than € 0.")
    if amount > MAX_AMOUNT:
        return _("Give an amount of at most € 99,999.99.")
    if amount != amount.quantize(Decimal("0.01")):
        return _("Give the amount in euros and cents, like 1,234.50.")
    return None


@transaction.atomic
def support_package_request(
    *,
    actor: Membership,
    household: Household,
    item: str,
    amount: Decimal,
    paying_organisation: Organisation,
    description: str = "",
) -> SupportPackage:
    """Request a support package for a household, to be paid by an organisation that works
    with it; the paying organisation approves or declines it."""
    if actor.role != Role.MEDEWERKER:
        raise ValidationError(_("Only workers request support packages."))
    household = household_open_require(actor=actor, household=household)
    description = description.strip()
    errors = {}
    if item not in PackageItem.values:
        errors["item"] = _("Choose what the package is.")
    elif item == PackageItem.ANDERS and not description:
        errors["description"] = _("Describe what the package is.")
    if len(description) > 200:
        errors["description"] = _("Keep the description under 200 characters.")
    if problem := amount_problem(amount):
        errors["amount"] = problem
    if paying_organisation is None or paying_organisation.pk not in payer_choices(
        actor=actor, household=household
    ):
        errors["paying_organisation"] = _(
            "Only the corporation or a partner that works with this household can pay."
        )
    if errors:
        raise ValidationError(errors)
    package = SupportPackage.objects.create(
        household=household,
        item=item,
        description=description,
        amount=amount,
        paying_organisation=paying_organisation,
        requested_by_id=actor.user_id,
        requested_for_id=actor.organisation_id,
    )
    _event(actor=actor, package=package, kind=Kind.PACKAGE_REQUESTED)
    log_access(actor=actor, action=AccessLog.Action.CREATE, household=household, obj=package)
    return package


def _locked(package: SupportPackage) -> SupportPackage:
    """The package, locked until the transaction ends. Who decided is read after the lock, not
    joined into it: a row re-read after waiting for a lock keeps its joins' old values."""
    return (
        SupportPackage.objects.select_for_update(of=("self",))
        .select_related("household", "paying_organisation")
        .get(pk=package.pk)
    )


def who_changed(package: SupportPackage) -> str:
    """Who did what to the package last, for the person whose form came too late."""
    when = timezone.localtime(package.decided_at) if package.decided_at else None
    if package.status == PackageStatus.GOEDGEKEURD:
        text = _("%(name)s approved this support package already, on %(when)s.")
    elif package.status == PackageStatus.AFGEWEZEN:
        text = _("%(name)s declined this support package already, on %(when)s.")
    elif package.status == PackageStatus.GELEVERD:
        return _("%(name)s recorded this support package as delivered already, on %(when)s.") % {
            "name": package.delivered_by.name if package.delivered_by else "",
            "when": date_format(package.delivered_on, "j F Y"),
        }
    else:
        return _("This support package changed meanwhile. Check it again.")
    return text % {"name": package.decided_by.name, "when": date_format(when, "j F Y H:i")}


def _may_move(package: SupportPackage, new: str) -> None:
    """Refuse a move the workflow does not allow; after someone else's decision, say who."""
    if package_can_move(package.status, new):
        return
    if package.status != PackageStatus.AANGEVRAAGD:
        raise ValidationError(who_changed(package))
    raise ValidationError(
        _("This support package is ‘%(status)s’ and cannot be ‘%(new)s’ yet.")
        % {"status": package.get_status_display(), "new": PackageStatus(new).label}
    )


def _move(*, actor: Membership, package: SupportPackage, new: str, kind: str, **data):
    _may_work_with(actor, package.household)
    package.status = new
    package.version += 1
    package.save()
    _event(actor=actor, package=package, kind=kind, **data)
    log_access(
        actor=actor, action=AccessLog.Action.UPDATE, household=package.household, obj=package
    )
    return package


def _decider(actor: Membership, package: SupportPackage) -> None:
    if package.paying_organisation_id != actor.organisation_id:
        raise ValidationError(_("Only the paying organisation approves or declines a package."))
    if actor.role not in DECIDERS:
        raise ValidationError(_("Only workers and managers of the paying organisation decide."))
    if package.requested_by_id == actor.user_id:
        # Four eyes: whoever asked for the money does not grant it.
        raise ValidationError(_("Someone other than the requester approves or declines it."))


@transaction.atomic
def support_package_approve(*, actor: Membership, package: SupportPackage) -> SupportPackage:
    """The paying organisation approves a requested package. Of two people deciding at once
    one wins (the row lock); the other is told who decided what."""
    package = _locked(package)
    _decider(actor, package)
    _may_move(package, PackageStatus.GOEDGEKEURD)
    package.decided_by_id, package.decided_at = actor.user_id, timezone.now()
    return _move(
        actor=actor, package=package, new=PackageStatus.GOEDGEKEURD, kind=Kind.PACKAGE_APPROVED
    )


@transaction.atomic
def support_package_decline(
    *, actor: Membership, package: SupportPackage, reason: str
) -> SupportPackage:
    """The paying organisation declines a requested package, with the reason the requester
    reads."""
    package = _locked(package)
    _decider(actor, package)
    _may_move(package, PackageStatus.AFGEWEZEN)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for declining.")})
    package.decline_reason = reason.strip()[:500]
    package.decided_by_id, package.decided_at = actor.user_id, timezone.now()
    return _move(
        actor=actor,
        package=package,
        new=PackageStatus.AFGEWEZEN,
        kind=Kind.PACKAGE_DECLINED,
        reason=package.decline_reason,
    )


@transaction.atomic
def support_package_deliver(
    *, actor: Membership, package: SupportPackage, delivered_on: date | None = None
) -> SupportPackage:
    """Record that an approved package was delivered (a worker of the paying or the requesting
    organisation). Delivered packages count in the ledger for the month they were delivered."""
    package = _locked(package)
    if (
        actor.organisation_id not in (package.paying_organisation_id, package.requested_for_id)
        or actor.role != Role.MEDEWERKER
    ):
        raise ValidationError(
            _("Only workers of the paying or the requesting organisation record the delivery.")
        )
    _may_move(package, PackageStatus.GELEVERD)
    delivered_on = delivered_on or timezone.localdate()
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("The delivery date cannot be in the future.")})
    if delivered_on < timezone.localtime(package.decided_at).date():
        raise ValidationError(
            {"delivered_on": _("The delivery date cannot be before the approval.")}
        )
    package.delivered_on, package.delivered_by_id = delivered_on, actor.user_id
    return _move(
        actor=actor,
        package=package,
        new=PackageStatus.GELEVERD,
        kind=Kind.PACKAGE_DELIVERED,
        delivered_on=delivered_on.isoformat(),
    )
