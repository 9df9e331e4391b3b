"""The dashboard's filters."""

from datetime import date

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cases.forms.common import DateInput
from cases.models import SignalCategory
from cases.selectors.dashboards.filters import (
    MAX_PERIODS,
    MONTH,
    WEEK,
    DashboardFilters,
    bucket_start,
    default_period,
)
from inclusie.widgets import FastSelect
from partners.models import Neighbourhood, Organisation


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


class QuickDateInput(DateInput):
    """A date field written out directly, like FastSelect: the filter form is on every view of
    the dashboard, and Django's widget templates are its largest cost."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(
            self.attrs, {**(attrs or {}), "type": self.input_type, "name": name}
        )
        shown = self.format_value(value)
        # A browser refuses (and complains about) a date field's value that is not a date;
        # what was typed then stands beside the field with its error instead.
        if shown and _is_date(str(shown)):
            final["value"] = shown
        return format_html("<input{}>", flatatt(final))


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, kept in the URL. A filter with an error is left out (the
    others still apply) and the message stands beside it. The options come from
    cases.selectors.dashboards.offer.dashboard_filter_choices (cached): a value not among them
    is refused, so a partner without an agreement cannot be chosen."""

    start = forms.DateField(
        label=_("From"), required=False, widget=QuickDateInput(attrs={"class": "form-control"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=QuickDateInput(attrs={"class": "form-control"})
    )
    per = forms.ChoiceField(
        label=_("Per"),
        required=False,
        choices=[(MONTH, _("Month")), (WEEK, _("Week"))],
        widget=FastSelect(attrs={"class": "form-select"}),
    )
    neighbourhood = forms.TypedChoiceField(
        label=_("Neighbourhood"), required=False, coerce=int, empty_value=None
    )
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )
    partner = forms.TypedChoiceField(
        label=_("Partner"), required=False, coerce=int, empty_value=None
    )
    CHOSEN = {"neighbourhood": Neighbourhood, "category": SignalCategory, "partner": Organisation}

    def __init__(self, *args, choices: dict[str, list], **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate().isoformat()
        self.fields["start"].widget.attrs["max"] = today
        self.fields["end"].widget.attrs["max"] = today
        for name in self.CHOSEN:
            field = self.fields[name]
            field.widget = FastSelect(attrs={"class": "form-select"})
            field.choices = [("", _("All")), *choices[name]]

    def mark_errors(self) -> None:
        """Fields with an error say so to assistive technology, as crispy forms would."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = attrs.get("class", "") + " is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}_error"

    def clean(self):
        cleaned = super().clean()
        per = cleaned.get("per") or MONTH
        start, end = cleaned.get("start"), cleaned.get("end")
        today = timezone.localdate()
        if start and start > today:
            self.add_error("start", _("The period cannot start in the future."))
        elif start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        elif start:
            periods = len(DashboardFilters(start=start, end=end or today, per=per).periods())
            if periods > MAX_PERIODS[per]:
                message = (
                    _("Per week, choose a period of at most a year.")
                    if per == WEEK
                    else _("Choose a period of at most five years.")
                )
                self.add_error("start", message)
        return cleaned

    def filters(self) -> DashboardFilters:
        """The filters to apply: what was valid, defaults for the rest (the last twelve months
        or weeks up to the end)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        per = data.get("per") or MONTH
        today = timezone.localdate()
        start = None if "start" in self.errors else data.get("start")
        end = None if "end" in self.errors else data.get("end")
        end = min(end or today, today)
        if start is None or start > end:
            start = default_period(per, end)[0]
        chosen = {
            name: model.objects.get(pk=data[name]) if data.get(name) else None
            for name, model in self.CHOSEN.items()
        }
        self.mark_errors()
        return DashboardFilters(start=bucket_start(start, per), end=end, per=per, **chosen)
