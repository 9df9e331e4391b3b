"""The forms of requests for informal help and their matches (ADR 0033): making a request from
an open signal or action, proposing a helper, ending a match or closing a request with a
reason. They check the shape of what is typed; the services check the rest."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.common import DateInput, capitalised
from cases.models import HelpMatch
from cases.workflow import ConsentHow, DayPart, HelpKind, Weekday

SIGNAL, ACTION = "signaal", "actie"


class HelpRequestForm(forms.Form):
    source = forms.ChoiceField(label=_("From the plan"))
    kind = forms.ChoiceField(label=_("Kind of help"), choices=capitalised(HelpKind.choices))
    description = forms.CharField(
        label=_("What is needed"),
        max_length=300,
        help_text=_("The helper reads this only once both sides agreed."),
    )
    days = forms.MultipleChoiceField(
        label=_("Days (optional)"),
        choices=capitalised(Weekday.choices),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    day_parts = forms.MultipleChoiceField(
        label=_("Parts of the day (optional)"),
        choices=capitalised(DayPart.choices),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    place = forms.CharField(label=_("Where, roughly (optional)"), max_length=200, required=False)
    needs_vog = forms.BooleanField(label=_("The helper needs a VOG"), required=False)
    consent_given_on = forms.DateField(
        label=_("The household agreed on"),
        widget=DateInput(),
        help_text=_(
            "The household agrees that a neighbour who helps learns their first name, street "
            "and contact details once both sides agree."
        ),
    )
    consent_how = forms.ChoiceField(
        label=_("How they agreed"),
        choices=capitalised(ConsentHow.choices),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = sources
        self.fields["source"].choices = [
            ("", "---------"),
            *[
                (f"{SIGNAL}:{s.pk}", _("Signal: %(text)s") % {"text": s.category.name})
                for s in sources.signals
            ],
            *[
                (f"{ACTION}:{a.pk}", _("Action: %(text)s") % {"text": a.description})
                for a in sources.actions
            ],
        ]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Fieldset(_("What"), "source", "kind", "description"),
            Fieldset(_("When and where"), "days", "day_parts", "place", "needs_vog"),
            Fieldset(_("Consent"), "consent_given_on", "consent_how"),
        )
        self.helper.add_input(Submit("submit", _("Make the request")))

    def clean_source(self):
        kind, _sep, pk = self.cleaned_data["source"].partition(":")
        found = {SIGNAL: self.sources.signals, ACTION: self.sources.actions}.get(kind, [])
        for item in found:
            if str(item.pk) == pk:
                return {"signal" if kind == SIGNAL else "action": item}
        raise forms.ValidationError(_("Choose one open signal or one open action."))


class ProposeForm(forms.Form):
    """A plain choice among the organisation's active helpers who offer the kind of help."""

    helper = forms.TypedChoiceField(label=_("Helper"), coerce=int)

    def __init__(self, *args, helpers, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].choices = [("", "---------")] + [
            (helper.pk, helper.name) for helper in helpers
        ]
        self.fields["helper"].error_messages["invalid_choice"] = _(
            "Choose an active helper of your organisation who offers this kind of help."
        )
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Propose")))


class ReasonForm(forms.Form):
    """Ending a match (by the household's or the worker's side) or closing a request."""

    side = forms.ChoiceField(
        label=_("Who ends it"),
        choices=[
            (HelpMatch.Side.HOUSEHOLD, _("The household")),
            (HelpMatch.Side.WORKER, _("I, the worker")),
        ],
        initial=HelpMatch.Side.WORKER,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, with_side=True, submit_label, action="", **kwargs):
        super().__init__(*args, **kwargs)
        if not with_side:
            del self.fields["side"]
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", submit_label, css_class="btn-outline-danger"))
