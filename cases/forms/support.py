"""Forms of the support-package pages: the request and the payer's decisions."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.forms.common import DateInput
from cases.forms.fields import EuroField
from cases.services.support import amount_problem
from cases.workflow import PackageItem


class PackageRequestForm(forms.Form):
    item = forms.ChoiceField(
        label=_("What"),
        choices=[("", _("Choose what the household needs"))]
        + [(value, capfirst(label)) for value, label in PackageItem.choices],
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=200,
        help_text=_("Needed for ‘other’. What the household gets; no more."),
    )
    amount = EuroField(label=_("Amount in euros"), help_text=_("For example 850 or 1.234,50"))
    paying_organisation = forms.ModelChoiceField(
        label=_("Paid by"), queryset=None, empty_label=_("Choose an organisation")
    )

    def __init__(self, *args, payers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paying_organisation"].queryset = payers

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if problem := amount_problem(amount):
            raise forms.ValidationError(problem)
        return amount

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("item") == PackageItem.ANDERS and not cleaned.get("description", "").strip():
            self.add_error("description", _("Describe what the package is."))
        return cleaned


class PackageVersionForm(forms.Form):
    """Carries the version the person saw, so a late form is told who did what meanwhile."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class PackageDeclineForm(PackageVersionForm):
    reason = forms.CharField(label=_("Reason for declining"), max_length=500)


class PackageDeliverForm(PackageVersionForm):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["delivered_on"].initial = today
        self.fields["delivered_on"].widget.attrs["max"] = today.isoformat()


ACTION_FORMS = {
    "goedkeuren": PackageVersionForm,
    "afwijzen": PackageDeclineForm,
    "leveren": PackageDeliverForm,
}


def action_form(action: str, package, data=None):
    """One action's form for one package; the prefix keeps field ids unique on a page with
    several packages."""
    return ACTION_FORMS[action](
        data, prefix=f"pakket{package.pk}", initial={"version": package.version}
    )


def attach_action_forms(packages, *, bound=None) -> None:
    """Give each package the forms of its actions; `bound` is (package id, action, form) of a
    form that came back with errors."""
    for package in packages:
        package.forms = {
            action: bound[2]
            if bound and bound[0] == package.pk and bound[1] == action
            else action_form(action, package)
            for action in ACTION_FORMS
        }
