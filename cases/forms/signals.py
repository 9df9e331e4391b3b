"""Forms of signals: the list's filters, a status change, the administrators' categories."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.forms.common import ALL, capitalised, filter_helper, offer_choices
from cases.models import SignalCategory
from cases.workflow import (
    REASON_REQUIRED,
    SIGNAL_TRANSITIONS,
    Severity,
    SignalStatus,
)
from inclusie.widgets import FastSelect
from partners.models import Neighbourhood, Organisation

AGE_CHOICES = [
    ("", _("any age")),
    ("7", _("older than a week")),
    ("30", _("older than a month")),
    ("90", _("older than three months")),
]


class SignalFilterForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(
        widget=FastSelect,
        label=_("Neighbourhood"),
        queryset=None,
        required=False,
        empty_label=_("All"),
    )
    category = forms.ModelChoiceField(
        widget=FastSelect, label=_("Category"), queryset=None, required=False, empty_label=_("All")
    )
    severity = forms.ChoiceField(
        widget=FastSelect,
        label=_("Severity"),
        required=False,
        choices=capitalised([ALL, *Severity.choices]),
    )
    status = forms.ChoiceField(
        widget=FastSelect,
        label=_("Status"),
        required=False,
        choices=capitalised([ALL, *SignalStatus.choices]),
    )
    age = forms.ChoiceField(
        label=_("Age"), required=False, choices=capitalised(AGE_CHOICES), widget=FastSelect
    )

    def __init__(self, *args, neighbourhoods, categories, **kwargs):
        super().__init__(*args, **kwargs)
        offer_choices(self.fields["neighbourhood"], Neighbourhood, neighbourhoods)
        self.fields["category"].queryset = categories
        self.helper = filter_helper()


class SignalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        help_text=_("Required when you close a signal without solving it."),
    )

    def __init__(self, *args, signal, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = SIGNAL_TRANSITIONS.get(signal.status, set())
        self.fields["status"].choices = [
            (value, capfirst(label)) for value, label in SignalStatus.choices if value in allowed
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") in REASON_REQUIRED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for closing this signal."))
        return cleaned


class SignalCategoryForm(forms.ModelForm):
    class Meta:
        model = SignalCategory
        fields = ["name", "life_area", "usual_partner_kind", "is_common", "position", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["usual_partner_kind"].choices = Organisation.Kind.choices
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Save category")))
