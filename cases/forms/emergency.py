"""The form of emergency access: the household's address and the reason, with its limits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.common import ADDRESS_HELP, clean_address
from cases.services.emergency import (
    EMERGENCY_REASON_MAX_LENGTH,
    EMERGENCY_REASON_MIN_LENGTH,
    emergency_reason_problem,
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
