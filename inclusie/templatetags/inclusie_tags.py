import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(value) -> str:
    """'vandaag', 'gisteren' or '3 dagen geleden' for a date or time in the past."""
    if not value:
        return ""
    day = timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value
    days = (timezone.localdate() - day).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    since = timesince(day, timezone.localdate(), depth=1)
    return _("%(time)s ago") % {"time": since}
