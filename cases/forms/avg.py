"""Forms of the AVG pages: finding a household by address, rectifying its data, erasing it."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms.common import ADDRESS_HELP, DateInput, clean_address
from cases.services.avg import ResidentCorrection


class AvgFindForm(forms.Form):
    adres = forms.CharField(
        label=_("Address of the household"),
        max_length=40,
        help_text=ADDRESS_HELP,
        widget=forms.TextInput(attrs={"placeholder": _("1234 AB 12"), "autocomplete": "off"}),
    )

    def clean_adres(self):
        return clean_address(self.cleaned_data["adres"])


class RectifyForm(forms.Form):
    """The household's contact data and, per resident, name and year of birth."""

    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    reason = forms.CharField(
        label=_("Why is the data corrected?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the tenant asked on 3 May, the phone number was wrong."),
    )

    def __init__(self, *args, household, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.residents = list(residents)
        self.fields["phone"].initial = household.phone
        self.fields["email"].initial = household.email
        for resident in self.residents:
            self.fields[f"r{resident.pk}_name"] = forms.CharField(
                label=_("Name"), max_length=150, initial=resident.name
            )
            self.fields[f"r{resident.pk}_birth_year"] = forms.IntegerField(
                label=_("Year of birth"),
                required=False,
                min_value=1900,
                max_value=2100,
                initial=resident.birth_year,
            )

    def resident_rows(self):
        for resident in self.residents:
            yield resident, self[f"r{resident.pk}_name"], self[f"r{resident.pk}_birth_year"]

    def corrections(self) -> list[ResidentCorrection]:
        return [
            ResidentCorrection(
                resident_id=resident.pk,
                name=self.cleaned_data[f"r{resident.pk}_name"],
                birth_year=self.cleaned_data.get(f"r{resident.pk}_birth_year"),
            )
            for resident in self.residents
        ]


class EraseForm(forms.Form):
    received_on = forms.DateField(label=_("Request received on"), widget=DateInput())
    confirm = forms.BooleanField(
        label=_("I checked who asked, and the household's data may be erased"),
        error_messages={"required": _("Tick this to confirm the request.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["received_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(
                _("The request cannot have been received later than today.")
            )
        return received_on
