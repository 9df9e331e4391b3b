"""Forms of the privacy pages: the access-log filters, the AVG search, rectification, erasure,
retention terms and emergency access. Forms validate; the services check again when they act."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput
from cases.models import AccessLog, RetentionTerm
from cases.retention import BOUNDS
from cases.selectors import POSTCODE_QUERY
from cases.services.privacy import (
    EMERGENCY_REASON_MAX_LENGTH,
    EMERGENCY_REASON_MIN_LENGTH,
    ResidentCorrection,
)

ADDRESS_HELP = _("Postcode and house number, with the addition if there is one: 1234 AB 12-a.")
ADDRESS_ERROR = _("Type a postcode and house number, like 1234 AB 12.")


def _choices(all_label, choices):
    return [("", all_label), *[(value, capfirst(label)) for value, label in choices]]


def clean_address(value: str) -> str:
    value = (value or "").strip()
    match = POSTCODE_QUERY.match(value)
    if not match or not match.group(3):
        raise forms.ValidationError(ADDRESS_ERROR)
    return value


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
        label=_("Action"), required=False, choices=_choices(_("All"), AccessLog.Action.choices)
    )
    grondslag = forms.ChoiceField(
        label=_("Legal basis"),
        required=False,
        choices=_choices(_("All"), AccessLog.LegalBasis.choices),
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
                initial=term.months,
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

    def clean_adres(self):
        return clean_address(self.cleaned_data["adres"])

    def address(self) -> tuple[str, int, str]:
        match = POSTCODE_QUERY.match(self.cleaned_data["adres"])
        postcode = f"{match.group(1)} {match.group(2).upper()}"
        return postcode, int(match.group(3)), match.group(4) or ""
