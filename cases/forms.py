from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.models import SignalCategory
from cases.services import SignalInput
from cases.workflow import (
    REASON_REQUIRED,
    SIGNAL_TRANSITIONS,
    Severity,
    SignalStatus,
    VisitKind,
    VisitOutcome,
)
from inclusie.widgets import FastSelect
from partners.models import Neighbourhood, Organisation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _capitalised(choices):
    """Options in a list start with a capital, as Dutch labels in lists do."""
    return [(value, capfirst(label)) for value, label in choices]


ALL = ("", _("All"))


def _get_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_method = "get"
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def _offer(field: forms.ModelChoiceField, model, choices: list[tuple[int, str]]) -> None:
    """Offer (id, label) pairs read beforehand (from the cache) instead of reading the queryset
    on every render; a chosen id is still checked to be one of them, against the database."""
    field.queryset = model.objects.filter(pk__in=[pk for pk, _label in choices])
    field.choices = [("", field.empty_label), *choices]


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Postcode and house number, street or name"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("1234 AB 12"), "autocomplete": "off"}
        ),
    )
    neighbourhood = forms.ModelChoiceField(
        widget=FastSelect,
        label=_("Neighbourhood"),
        queryset=None,
        required=False,
        empty_label=_("All"),
    )
    complex = forms.ModelChoiceField(
        widget=FastSelect, label=_("Complex"), queryset=None, required=False, empty_label=_("All")
    )
    open_signals = forms.ChoiceField(
        widget=FastSelect,
        label=_("Open signals"),
        required=False,
        choices=_capitalised([ALL, ("ja", _("with open signals")), ("nee", _("without"))]),
    )

    def __init__(self, *args, neighbourhoods, complexes, **kwargs):
        super().__init__(*args, **kwargs)
        _offer(self.fields["neighbourhood"], Neighbourhood, neighbourhoods)
        self.fields["complex"].queryset = complexes
        self.helper = _get_helper()


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
        choices=_capitalised([ALL, *Severity.choices]),
    )
    status = forms.ChoiceField(
        widget=FastSelect,
        label=_("Status"),
        required=False,
        choices=_capitalised([ALL, *SignalStatus.choices]),
    )
    age = forms.ChoiceField(
        label=_("Age"), required=False, choices=_capitalised(AGE_CHOICES), widget=FastSelect
    )

    def __init__(self, *args, neighbourhoods, categories, **kwargs):
        super().__init__(*args, **kwargs)
        _offer(self.fields["neighbourhood"], Neighbourhood, neighbourhoods)
        self.fields["category"].queryset = categories
        self.helper = _get_helper()


class HomeVisitForm(forms.Form):
    """The visit and, per category, a tick that asks for severity, description and follow-up."""

    visited_on = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Kind of visit"),
        choices=VisitKind.choices,
        initial=VisitKind.REGULIER,
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=VisitOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only what the work needs; no medical details."),
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["visited_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.categories = list(categories)
        for category in self.categories:
            prefix = f"c{category.pk}"
            self.fields[f"{prefix}"] = forms.BooleanField(label=category.name, required=False)
            self.fields[f"{prefix}_severity"] = forms.ChoiceField(
                label=_("Severity"),
                choices=Severity.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"{prefix}_description"] = forms.CharField(
                label=_("Short description"), max_length=300, required=False
            )
            self.fields[f"{prefix}_follow_up"] = forms.DateField(
                label=_("Follow-up date (optional)"), required=False, widget=DateInput()
            )

    def category_rows(self):
        """Per category: its tick box and the fields it asks for, for the template."""
        for category in self.categories:
            prefix = f"c{category.pk}"
            yield {
                "category": category,
                "tick": self[prefix],
                "severity": self[f"{prefix}_severity"],
                "description": self[f"{prefix}_description"],
                "follow_up": self[f"{prefix}_follow_up"],
            }

    def clean_visited_on(self):
        visited_on = self.cleaned_data["visited_on"]
        if visited_on > timezone.localdate():
            raise forms.ValidationError(_("The date of a visit cannot be in the future."))
        return visited_on

    def clean(self):
        cleaned = super().clean()
        for category in self.categories:
            prefix = f"c{category.pk}"
            if not cleaned.get(prefix):
                continue
            if not cleaned.get(f"{prefix}_severity"):
                self.add_error(f"{prefix}_severity", _("Choose how serious this is."))
            if not (cleaned.get(f"{prefix}_description") or "").strip():
                self.add_error(f"{prefix}_description", _("Describe in a few words what you saw."))
            follow_up = cleaned.get(f"{prefix}_follow_up")
            if follow_up and cleaned.get("visited_on") and follow_up < cleaned["visited_on"]:
                self.add_error(
                    f"{prefix}_follow_up", _("A follow-up date cannot be before the visit.")
                )
        return cleaned

    def signal_inputs(self) -> list[SignalInput]:
        return [
            SignalInput(
                category=category,
                severity=self.cleaned_data[f"c{category.pk}_severity"],
                description=self.cleaned_data[f"c{category.pk}_description"],
                follow_up_on=self.cleaned_data.get(f"c{category.pk}_follow_up"),
            )
            for category in self.categories
            if self.cleaned_data.get(f"c{category.pk}")
        ]


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
        fields = ["name", "life_area", "usual_partner_kind", "position", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["usual_partner_kind"].choices = Organisation.Kind.choices
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Save category")))
