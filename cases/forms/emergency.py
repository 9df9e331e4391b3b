"""The forms of emergency access: the household's address and the reason, with its limits; the
privacy officer's refusal of a request past the limit; the week of the overview."""

from datetime import date, timedelta

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases.forms.common import ADDRESS_HELP, clean_address
from cases.services.emergency import (
    EMERGENCY_REASON_MAX_LENGTH,
    EMERGENCY_REASON_MIN_LENGTH,
    emergency_reason_problem,
    week_code,
)
from cases.validators import POSTCODE_QUERY


class EmergencyForm(forms.Form):
    adres = forms.CharField(
        label=_("Address of the household"),
        max_length=40,
        help_text=ADDRESS_HELP,
        widget=forms.TextInput(attrs={"placeholder": _("1234 AB 12"), "autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("What is the emergency?"),
        min_length=EMERGENCY_REASON_MIN_LENGTH,
        max_length=EMERGENCY_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why you need this household's data now, and cannot wait for a referral. Your "
            "privacy officer and the corporation's read this."
        ),
        error_messages={
            "min_length": _(
                "Describe the emergency in at least %(limit_value)d characters: why you need "
                "this household's data now."
            ),
        },
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"]
        if problem := emergency_reason_problem(reason):
            raise forms.ValidationError(problem)
        return reason

    def clean_adres(self):
        return clean_address(self.cleaned_data["adres"])

    def address(self) -> tuple[str, int, str]:
        match = POSTCODE_QUERY.match(self.cleaned_data["adres"])
        postcode = f"{match.group(1)} {match.group(2).upper()}"
        return postcode, int(match.group(3)), match.group(4) or ""


class EmergencyRefuseForm(forms.Form):
    """A privacy officer refuses a request past the limit, with the reason the worker reads."""

    reason = forms.CharField(
        label=_("Why do you refuse?"),
        max_length=EMERGENCY_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The worker reads this."),
        error_messages={"required": _("Give the reason for refusing: the worker reads it.")},
    )


# The overview offers this many weeks back, the current one first.
WEEKS_BACK = 26


class EmergencyWeekForm(forms.Form):
    """The week of the privacy officer's overview of emergency access."""

    week = forms.ChoiceField(label=_("Week"), required=False)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        monday = today - timedelta(days=today.weekday())
        self.starts = {}
        for back in range(WEEKS_BACK):
            start = monday - timedelta(weeks=back)
            self.starts[week_code(start)] = start
        self.fields["week"].choices = [
            (
                code,
                _("Week %(week)s: %(start)s to %(end)s")
                % {
                    "week": start.isocalendar().week,
                    "start": date_format(start, "j F"),
                    "end": date_format(start + timedelta(days=6), "j F Y"),
                },
            )
            for code, start in self.starts.items()
        ]
        self.current = monday

    def start(self) -> date:
        """The chosen week's Monday; this week when none or no valid one was chosen."""
        if self.is_valid() and self.cleaned_data["week"]:
            return self.starts[self.cleaned_data["week"]]
        return self.current
