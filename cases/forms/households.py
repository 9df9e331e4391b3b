"""The filters of the household list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.common import ALL, capitalised, filter_helper, offer_choices
from inclusie.widgets import FastSelect
from partners.models import Neighbourhood


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Postcode and house number, street, name or tenancy reference"),
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
        choices=capitalised([ALL, ("ja", _("with open signals")), ("nee", _("without"))]),
    )

    def __init__(self, *args, neighbourhoods, complexes, **kwargs):
        super().__init__(*args, **kwargs)
        offer_choices(self.fields["neighbourhood"], Neighbourhood, neighbourhoods)
        self.fields["complex"].queryset = complexes
        self.helper = filter_helper()
