"""Forms of recording and withdrawing a household's consent."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.forms.common import DateInput
from cases.models import Consent
from partners.models import Organisation


class ConsentForm(forms.Form):
    """What the household agreed to; consent_record checks it again when it acts."""

    receiving_organisation = forms.ModelChoiceField(
        label=_("Receiving organisation"),
        queryset=None,
        empty_label=_("Choose an organisation"),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        help_text=_("What the organisation may use the data for, in a few words."),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Signal categories"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        # The service's own message, so the person reads the same words either way.
        error_messages={"required": _("Choose what the consent is about.")},
    )
    given_how = forms.ChoiceField(
        label=_("How was consent given?"),
        choices=[(value, capfirst(label)) for value, label in Consent.GivenHow.choices],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the consent was given.")},
    )
    given_on = forms.DateField(label=_("Date given"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("End date (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty when the consent holds until it is withdrawn."),
    )

    def __init__(self, *args, actor, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_organisation"].queryset = Organisation.objects.exclude(
            pk=actor.organisation_id
        ).order_by("name")
        self.fields["categories"].queryset = categories
        self.fields["given_on"].initial = timezone.localdate()
        self.fields["given_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_categories(self):
        return list(self.cleaned_data["categories"])

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError(_("Consent cannot be given in the future."))
        return given_on

    def clean(self):
        cleaned = super().clean()
        given_on, ends_on = cleaned.get("given_on"), cleaned.get("ends_on")
        if given_on and ends_on and ends_on < given_on:
            self.add_error("ends_on", _("The end date cannot be before the date given."))
        return cleaned


class ConsentWithdrawForm(forms.Form):
    """The date the household withdrew; consent_withdraw checks it against the consent."""

    withdrawn_on = forms.DateField(label=_("Date withdrawn"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()
        self.fields["withdrawn_on"].widget.attrs["max"] = timezone.localdate().isoformat()
