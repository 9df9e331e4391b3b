"""Forms of the agreements between organisations (samenwerkingsafspraken)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms.common import DateInput


class AgreementForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=None, empty_label=_("Choose an organisation")
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Signal categories that may be referred"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    response_days = forms.IntegerField(
        label=_("Response deadline in working days"), min_value=1, max_value=60, initial=5
    )
    valid_from = forms.DateField(label=_("In force from"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("In force until (optional)"), required=False, widget=DateInput()
    )

    def __init__(self, *args, partners, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["categories"].queryset = categories
        self.fields["valid_from"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Save agreement")))


class AssignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    user = forms.ModelChoiceField(label=_("Assign to"), queryset=None)

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = colleagues
