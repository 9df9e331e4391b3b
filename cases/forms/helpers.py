"""The form a worker registers or changes a helper (drager) with (ADR 0032). It checks the
shape of what is typed; the service checks the rest and says at which field what is wrong."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.common import DateInput, capitalised
from cases.validators import validate_postcode
from cases.workflow import ConsentHow, DayPart, HelpKind, Weekday


class HelperForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    surname = forms.CharField(label=_("Surname (optional)"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Needed to send the personal link by e-mail."),
    )
    offers = forms.MultipleChoiceField(
        label=_("What they offer"),
        choices=capitalised(HelpKind.choices),
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.MultipleChoiceField(
        label=_("Days"), choices=capitalised(Weekday.choices), widget=forms.CheckboxSelectMultiple
    )
    day_parts = forms.MultipleChoiceField(
        label=_("Parts of the day"),
        choices=capitalised(DayPart.choices),
        widget=forms.CheckboxSelectMultiple,
    )
    own_street_only = forms.BooleanField(
        label=_("Only in their own street or complex"), required=False
    )
    reach_metres = forms.IntegerField(
        label=_("Or how far from home, in metres"), required=False, min_value=1, max_value=50_000
    )
    street_address = forms.CharField(
        label=_("Street and house number"), max_length=200, required=False
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=7, validators=[validate_postcode])
    consent_given_on = forms.DateField(label=_("Agreed to be registered on"), widget=DateInput())
    consent_how = forms.ChoiceField(
        label=_("How they agreed"),
        choices=capitalised(ConsentHow.choices),
        widget=forms.RadioSelect,
    )
    vog_seen_on = forms.DateField(
        label=_("VOG seen on (optional)"), required=False, widget=DateInput()
    )
    vog_expires_on = forms.DateField(
        label=_("VOG counts until"), required=False, widget=DateInput()
    )

    def __init__(self, *args, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Fieldset(_("Who"), "first_name", "surname", "phone", "email"),
            Fieldset(
                _("What, when and how far"),
                "offers",
                "days",
                "day_parts",
                "own_street_only",
                "reach_metres",
            ),
            Fieldset(_("Where they live"), "street_address", "postcode"),
            Fieldset(_("Consent"), "consent_given_on", "consent_how"),
            Fieldset(_("Certificate of conduct (VOG)"), "vog_seen_on", "vog_expires_on"),
        )
        self.helper.add_input(Submit("submit", submit_label))

    def clean(self):
        # Said with the other fields' errors at once, not only after they are right (the
        # service checks the same).
        data = super().clean()
        if not data.get("phone") and not data.get("email") and "email" not in self.errors:
            self.add_error(
                "phone", _("Give a phone number or an e-mail address, so you can reach them.")
            )
        no_reach = not data.get("own_street_only") and data.get("reach_metres") is None
        if no_reach and "reach_metres" not in self.errors:
            self.add_error(
                "reach_metres", _("Give how far they will go, or tick own street or complex.")
            )
        return data
