from django import template

from cases.workflow import SignalStatus

register = template.Library()


@register.filter
def signal_status_label(value: str) -> str:
    """The Dutch (or English) word for a stored signal status."""
    return SignalStatus(value).label if value in SignalStatus.values else value
