"""Forms of a referral: sending it, and the receiver's and sender's steps."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.workflow import DeclineReason, ReferralOutcome


class ReferralOnwardForm(forms.Form):
    """A partner refers onward (ADR 0023): to whom, which of its referral's signals, and what
    the next partner needs to know. ReferralSendForm adds the corporation's route without
    consent."""

    to_organisation = forms.ModelChoiceField(
        label=_("Refer to"), queryset=None, empty_label=_("Choose an organisation")
    )
    signals = forms.ModelMultipleChoiceField(
        label=_("Signals"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    to_person = forms.ModelChoiceField(
        label=_("To a named colleague there (optional)"),
        queryset=None,
        required=False,
        empty_label=_("Anyone who handles referrals"),
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the partner needs to know to help; no more."),
    )

    def __init__(self, *args, partners, signals, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = partners
        self.fields["to_person"].queryset = people
        self.fields["to_person"].label_from_instance = lambda m: (
            f"{m.user.name} — {m.organisation.name}"
        )
        self.fields["signals"].queryset = signals
        self.fields["signals"].label_from_instance = lambda s: f"{s.category.name}: {s.description}"

    def clean_to_person(self):
        membership = self.cleaned_data.get("to_person")
        return membership.user if membership else None


class ReferralSendForm(ReferralOnwardForm):
    vroegsignalering = forms.BooleanField(
        label=_("Without consent: rent arrears to the municipality (vroegsignalering)"),
        required=False,
    )
    contact_attempted = forms.BooleanField(
        label=_("Personal contact with the tenant was attempted"), required=False
    )
    reminder_sent = forms.BooleanField(label=_("A written reminder was sent"), required=False)
    offer_made = forms.BooleanField(
        label=_("The tenant was offered that the data be passed on"), required=False
    )
    no_objection = forms.BooleanField(label=_("The tenant did not object"), required=False)

    def preconditions(self) -> dict | None:
        if not self.cleaned_data.get("vroegsignalering"):
            return None
        names = ("contact_attempted", "reminder_sent", "offer_made", "no_objection")
        return {name: bool(self.cleaned_data.get(name)) for name in names}


class ReferralVersionForm(forms.Form):
    """Carries the version the person saw, so a stale form is told what changed."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ReferralDeclineForm(ReferralVersionForm):
    category = forms.ChoiceField(
        label=_("Why do you decline?"),
        choices=[(v, capfirst(label)) for v, label in DeclineReason.choices],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason for declining"), max_length=500)


class ReferralCompleteForm(ReferralVersionForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(v, capfirst(label)) for v, label in ReferralOutcome.choices],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("About the outcome, for the sender"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
