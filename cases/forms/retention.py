"""The form of one controller's retention terms, within their bounds."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.models import RetentionTerm
from cases.models.privacy import BOUNDS


class RetentionTermsForm(forms.Form):
    """One number of months per kind of data."""

    def __init__(self, *args, terms: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, term in terms.items():
            low, high = BOUNDS[kind]
            self.fields[kind] = forms.IntegerField(
                label=capfirst(RetentionTerm.Kind(kind).label),
                min_value=low,
                max_value=high,
                initial=term.pending_months or term.months,
                help_text=_("%(low)s to %(high)s months") % {"low": low, "high": high},
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "required": _("Give a number of months."),
                    "min_value": _("Choose between %(low)s and %(high)s months.")
                    % {"low": low, "high": high},
                    "max_value": _("Choose between %(low)s and %(high)s months.")
                    % {"low": low, "high": high},
                },
            )
