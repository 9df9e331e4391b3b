"""What the costs-and-savings ledger weighs: each organisation's hourly rate and its estimates
of avoided costs (set by its own administrators), the agreed split of a shared worker's hours,
and the hours a shared worker enters per month (ADR 0009)."""

from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    AvoidedCost,
    HourlyRate,
    HoursSplit,
    HoursSplitShare,
    SignalCategory,
    WorkedHours,
)
from cases.models.ledger import add_months, first_of_month
from partners.models import Membership

MAX_RATE = Decimal("999.99")
MAX_ESTIMATE = Decimal("9999999.99")
MAX_MONTH_HOURS = Decimal("200")
MAX_WEEK_HOURS = Decimal("60")
# Hours are entered for this month and the previous one; earlier months are closed, so that a
# ledger once read does not change afterwards.
OPEN_MONTHS = 1


def _administrator(actor: Membership) -> None:
    if actor.role != Membership.Role.BEHEERDER:
        raise ValidationError(_("Only an administrator may do this."))


def in_quarters(hours: Decimal) -> bool:
    quarters = Decimal(hours) * 4
    return quarters == quarters.to_integral_value()


def organisations_of(user_id: int) -> set[int]:
    """The organisations a person has an active membership of."""
    return set(
        Membership.objects.active()
        .filter(user_id=user_id)
        .values_list("organisation_id", flat=True)
    )


def organisations_in_month(user_id: int, month: date) -> set[int]:
    """The organisations a person was a member of during (part of) a month."""
    start = timezone.make_aware(datetime.combine(month, time.min))
    end = timezone.make_aware(datetime.combine(add_months(month, 1), time.min))
    return set(
        Membership.objects.filter(user_id=user_id, started_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start))
        .values_list("organisation_id", flat=True)
    )


def employer_of(user_id: int) -> Membership | None:
    """The active membership a shared worker had first: the organisation that employs them
    and records the split of their hours (ADR 0009)."""
    return (
        Membership.objects.active()
        .filter(user_id=user_id)
        .select_related("organisation")
        .order_by("started_at", "pk")
        .first()
    )


@transaction.atomic
def hourly_rate_set(*, actor: Membership, amount: Decimal, valid_from: date) -> HourlyRate:
    """Set what an hour of work costs the actor's organisation, from a month on; a second rate
    for the same month replaces the first."""
    _administrator(actor)
    if amount is None or amount <= 0 or amount > MAX_RATE:
        raise ValidationError({"amount": _("Give an hourly rate between € 0 and € 1,000.")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("Give the amount in euros and cents, like 1,234.50.")})
    rate, _created = HourlyRate.objects.update_or_create(
        organisation_id=actor.organisation_id,
        valid_from=first_of_month(valid_from),
        defaults={"amount": amount, "set_by_id": actor.user_id, "set_at": timezone.now()},
    )
    return rate


@transaction.atomic
def avoided_cost_save(
    *,
    actor: Membership,
    category: SignalCategory,
    amount: Decimal,
    source: str,
    valid_from: date,
    estimate: AvoidedCost | None = None,
) -> AvoidedCost:
    """Record the actor's organisation's estimate of the cost one resolved signal of a category
    avoids it, with its source. Each organisation keeps its own estimates; zero ends one."""
    _administrator(actor)
    if estimate is not None and estimate.organisation_id != actor.organisation_id:
        raise ValidationError(_("Only the organisation's own administrators change its estimates."))
    errors = {}
    if amount is None or amount < 0 or amount > MAX_ESTIMATE:
        errors["amount"] = _("Give an amount of € 0 up to € 10,000,000.")
    elif amount != amount.quantize(Decimal("0.01")):
        errors["amount"] = _("Give the amount in euros and cents, like 1,234.50.")
    source = (source or "").strip()
    if not source:
        errors["source"] = _("Name the source of the estimate, so that readers can weigh it.")
    elif len(source) > 300:
        errors["source"] = _("Keep the source under 300 characters.")
    month = first_of_month(valid_from)
    taken = AvoidedCost.objects.filter(
        organisation_id=actor.organisation_id, category=category, valid_from=month
    )
    if estimate is not None:
        taken = taken.exclude(pk=estimate.pk)
    if taken.exists():
        errors["valid_from"] = _(
            "There is already an estimate for this category from this month: change that one."
        )
    if errors:
        raise ValidationError(errors)
    estimate = estimate or AvoidedCost(organisation_id=actor.organisation_id)
    estimate.category = category
    estimate.amount = amount
    estimate.source = source
    estimate.valid_from = month
    estimate.set_by_id = actor.user_id
    estimate.set_at = timezone.now()
    estimate.save()
    return estimate


def hours_field(organisation_id: int) -> str:
    """The name of the form field for one organisation's hours (the service's errors use it)."""
    return f"org_{organisation_id}"


@transaction.atomic
def worked_hours_enter(
    *, actor: Membership, month: date, hours: dict[int, Decimal]
) -> list[WorkedHours]:
    """A shared worker enters the hours of this month or the previous one for each of their
    organisations they were a member of in that month; for that month they replace the agreed
    split."""
    organisations = organisations_of(actor.user_id)
    if len(organisations) < 2:
        raise ValidationError(
            _("Only people who work for more than one organisation enter their hours here.")
        )
    month = first_of_month(month)
    this_month = first_of_month(timezone.localdate())
    if month > this_month:
        raise ValidationError(
            {"month": _("You cannot enter hours for a month that has not begun.")}
        )
    if month < add_months(this_month, -OPEN_MONTHS):
        raise ValidationError(
            {
                "month": _(
                    "Hours can be entered for this month and the month before; "
                    "earlier months are closed."
                )
            }
        )
    if set(hours) != organisations:
        raise ValidationError(_("Give the hours for each of your organisations."))
    hours = {pk: None if value is None else Decimal(value) for pk, value in hours.items()}
    members = organisations_in_month(actor.user_id, month)
    errors = {}
    for organisation_id, value in list(hours.items()):
        if organisation_id not in members:
            if value:
                errors[hours_field(organisation_id)] = _(
                    "You were not a member of this organisation in that month."
                )
            del hours[organisation_id]
        elif value is None or value < 0 or value > MAX_MONTH_HOURS:
            errors[hours_field(organisation_id)] = _("Give 0 to 200 hours.")
        elif not in_quarters(value):
            errors[hours_field(organisation_id)] = _(
                "Give the hours in quarters of an hour, like 7.25, 7.5 or 7.75."
            )
    if errors:
        raise ValidationError(errors)
    if len(hours) < 2:
        raise ValidationError(
            {
                "month": _(
                    "In that month you worked for only one of your organisations: "
                    "there are no hours to divide."
                )
            }
        )
    now = timezone.now()
    return [
        WorkedHours.objects.update_or_create(
            user_id=actor.user_id,
            organisation_id=organisation_id,
            month=month,
            defaults={"hours": value, "entered_at": now},
        )[0]
        for organisation_id, value in sorted(hours.items())
    ]


@transaction.atomic
def hours_split_save(
    *,
    actor: Membership,
    user,
    hours_per_week: Decimal,
    valid_from: date,
    shares: dict[int, int],
) -> HoursSplit:
    """Record the agreed split of a shared worker's hours over their organisations, from a month
    on. Every partner's investment depends on it, so only an administrator of the organisation
    that employs the worker (their first membership) records it. A second split for the same
    month replaces the first."""
    _administrator(actor)
    organisations = organisations_of(user.pk)
    if actor.organisation_id not in organisations or len(organisations) < 2:
        raise ValidationError(_("This person is not a shared worker of your organisation."))
    employer = employer_of(user.pk)
    if employer.organisation_id != actor.organisation_id:
        raise ValidationError(
            _(
                "Only an administrator of %(organisation)s, where this person first became a "
                "member, records the split of their hours."
            )
            % {"organisation": employer.organisation.name}
        )
    errors = {}
    if hours_per_week is None or hours_per_week < 0 or hours_per_week > MAX_WEEK_HOURS:
        errors["hours_per_week"] = _("Give 0 to 60 hours a week.")
    elif not in_quarters(hours_per_week):
        errors["hours_per_week"] = _(
            "Give the hours in quarters of an hour, like 7.25, 7.5 or 7.75."
        )
    if set(shares) - organisations:
        raise ValidationError(_("This person does not work for that organisation."))
    for organisation_id, percent in shares.items():
        if percent is None or not 0 <= percent <= 100:
            errors[hours_field(organisation_id)] = _("Give a percentage from 0 to 100.")
    if errors:
        raise ValidationError(errors)
    total = sum(shares.values())
    if total != 100:
        raise ValidationError(
            _("The percentages add up to %(total)s%%; together they must make 100%%.")
            % {"total": total}
        )
    split, _created = HoursSplit.objects.update_or_create(
        user=user,
        valid_from=first_of_month(valid_from),
        defaults={
            "hours_per_week": hours_per_week,
            "recorded_by_id": actor.user_id,
            "recorded_for_id": actor.organisation_id,
            "recorded_at": timezone.now(),
        },
    )
    split.shares.all().delete()
    HoursSplitShare.objects.bulk_create(
        HoursSplitShare(split=split, organisation_id=organisation_id, percent=percent)
        for organisation_id, percent in sorted(shares.items())
        if percent
    )
    return split
