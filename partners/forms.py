import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from partners.kinds import KINDS
from partners.models import EventType, Membership, Neighbourhood, Notification


def _helper(submit_label) -> FormHelper:
    helper = FormHelper()
    # Our own Dutch messages beside the field, not the browser's (which speak its language).
    helper.attrs = {"novalidate": ""}
    helper.add_input(Submit("submit", submit_label))
    return helper


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEDEWERKER
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.helper = _helper(_("Send invitation"))


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Neighbourhoods"),
        queryset=Neighbourhood.objects.select_related("parent").order_by("cbs_code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The neighbourhoods this person works in: their signal lists start there."),
    )
    receives_referrals = forms.BooleanField(
        label=_("Intake: receives referrals"),
        required=False,
        help_text=_(
            "Hears of every new referral to the organisation. Where nobody is intake, all "
            "workers hear."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class InvitationAcceptForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Create my account"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class NotificationPreferencesForm(forms.Form):
    """Per kind of notification: e-mail at once, in the daily digest, or not at all. Escalations
    are always e-mailed at once and are shown, not offered."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.mandatory = []
        for kind, choice in current.items():
            label = capfirst(Notification.Kind(kind).label)
            if KINDS[kind].mandatory:
                self.mandatory.append(label)
                continue
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Notification.Email.choices,
                initial=choice,
                widget=forms.RadioSelect,
            )
        self.helper = _helper(_("Save choices"))


class ClientForm(forms.Form):
    """Register a system of the organisation's own (an API client, ADR 0024)."""

    name = forms.CharField(
        label=_("Name of the system"),
        max_length=100,
        help_text=_("As your colleagues know it, for example the name of your rental system."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose what the system may do.")},
    )
    expires_on = forms.DateField(
        label=_("Valid until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("After this day the key no longer works. Empty: until you revoke it."),
    )

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["scopes"].choices = scopes
        self.helper = _helper(_("Register and show the key"))

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        # Valid through the whole day chosen.
        end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
        return timezone.make_aware(end)


class SubscriptionForm(forms.Form):
    """Subscribe a system of the organisation's own to events (ADR 0029); the service checks
    the address (https, a public host)."""

    url = forms.CharField(
        label=_("Address that receives the events"),
        max_length=500,
        help_text=_("The system's web address (https://…) to which Inclusie POSTs each event."),
    )
    types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose which events the system receives.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].widget.attrs.update(
            {"autocomplete": "off", "inputmode": "url", "spellcheck": "false"}
        )
        self.helper = _helper(_("Subscribe and show the secret"))
