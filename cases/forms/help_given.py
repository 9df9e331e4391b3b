"""The form to record help given under an agreed match (ADR 0035): the day and roughly how
long. It checks the shape; the service checks the rest and says at which field what is wrong."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.common import DateInput


class HelpGivenForm(forms.Form):
    given_on = forms.DateField(label=_("Day the help was given"), widget=DateInput())
    minutes = forms.IntegerField(
        label=_("Roughly how long, in minutes"),
        help_text=_("For example 30 for half an hour, 90 for an hour and a half."),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Record help given")))
