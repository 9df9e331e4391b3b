import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.labels import FIELD_LABELS
from cases.workflow import SignalStatus

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
def avg_value(value) -> str:
    """A value of the AVG overview as a person reads it: dates in words, yes or no."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""
