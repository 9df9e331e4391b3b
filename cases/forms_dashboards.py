from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput
from cases.selectors_dashboards import (
    MAX_PERIODS,
    MONTH,
    WEEK,
    DashboardFilters,
    bucket_start,
    default_period,
)


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, kept in the URL. A filter with an error is left out (the
    others still apply) and the message stands beside it."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    per = forms.ChoiceField(
        label=_("Per"), required=False, choices=[(MONTH, _("Month")), (WEEK, _("Week"))]
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=None, required=False, empty_label=_("All")
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=None, required=False, empty_label=_("All")
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=None, required=False, empty_label=_("All")
    )

    def __init__(self, *args, neighbourhoods, categories, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods
        self.fields["category"].queryset = categories
        self.fields["partner"].queryset = partners
        today = timezone.localdate().isoformat()
        self.fields["start"].widget.attrs["max"] = today
        self.fields["end"].widget.attrs["max"] = today

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
        return DashboardFilters(
            start=bucket_start(start, per),
            end=end,
            per=per,
            neighbourhood=data.get("neighbourhood"),
            category=data.get("category"),
            partner=data.get("partner"),
        )
