"""The filters of the privacy officer's access-log viewer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.common import DateInput, clean_address, with_all
from cases.models import AccessLog


class AccessLogFilterForm(forms.Form):
    persoon = forms.ModelChoiceField(
        label=_("Person"), queryset=None, required=False, empty_label=_("Everyone")
    )
    adres = forms.CharField(
        label=_("Household"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("1234 AB 12")}),
        help_text=_("Postcode and house number"),
    )
    van = forms.DateField(label=_("From"), required=False, widget=DateInput())
    tot = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    actie = forms.ChoiceField(
        label=_("Action"), required=False, choices=with_all(_("All"), AccessLog.Action.choices)
    )
    grondslag = forms.ChoiceField(
        label=_("Legal basis"),
        required=False,
        choices=with_all(_("All"), AccessLog.LegalBasis.choices),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persoon"].queryset = people

    def clean_adres(self):
        value = self.cleaned_data["adres"]
        return clean_address(value) if value.strip() else ""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("The end of the period cannot be before its start."))
        return cleaned
