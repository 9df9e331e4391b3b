from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.formats import number_format

from cases.labels import FIELD_LABELS
from cases.workdays import working_days_between
from cases.workflow import PackageItem, ReferralStatus, SignalStatus

register = template.Library()


@register.filter
def signal_status_label(value: str) -> str:
    """The Dutch (or English) word for a stored signal status."""
    return SignalStatus(value).label if value in SignalStatus.values else value


@register.filter
def field_labels(names) -> str:
    """'street, postcode' → 'straat, postcode' for a data-corrected event."""
    return ", ".join(str(FIELD_LABELS.get(name, name)) for name in names or [])


@register.filter
def euro(value, decimals: int = 2) -> str:
    """€ 1.234,50 in Dutch (€ 1,234.50 in English); `|euro:0` rounds to whole euros."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    # number_format cuts off decimals; round half up first (€ 1.941,80 shows as € 1.942).
    amount = amount.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
    text = number_format(amount, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)
    return f"€\xa0{text}"


@register.filter
def hours(value) -> str:
    """7,5 or 69,33 hours in the reader's language (no trailing zeros after the comma)."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    decimals = 0 if amount == amount.to_integral_value() else 2
    if decimals and (amount * 10) == (amount * 10).to_integral_value():
        decimals = 1
    return number_format(amount, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def package_item(value: str) -> str:
    """The word for a stored package item, with a capital."""
    label = str(PackageItem(value).label) if value in PackageItem.values else value
    return label[:1].upper() + label[1:]


@register.inclusion_tag("cases/_referral_deadline.html")
def referral_deadline(referral, today: date | None = None) -> dict:
    """A referral's answer deadline in words and colour while it runs (the referral is sent and
    not answered): passed, with the working days since (cases.workdays, as the deadline was
    set), or today. Every list of referrals and the referral's page show it through this one
    tag. Nothing once the referral is answered or the deadline is further away."""
    if referral.status != ReferralStatus.VERZONDEN:
        return {"state": ""}
    today = today or timezone.localdate()
    if referral.deadline < today:
        return {"state": "passed", "days": working_days_between(referral.deadline, today)}
    if referral.deadline == today:
        return {"state": "today"}
    return {"state": ""}
