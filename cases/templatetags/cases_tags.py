from django import template

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
