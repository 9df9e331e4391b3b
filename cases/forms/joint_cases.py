"""Forms of the joint-case pages."""

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from cases.models import CaseNote
from cases.selectors import joint_cases as selectors_joint_cases
from partners.models import Organisation


def _organisations(items) -> QuerySet:
    return Organisation.objects.filter(pk__in=[o.pk for o in items]).order_by("name")


class CaseOpenForm(forms.Form):
    coordinator_organisation = forms.ModelChoiceField(
        label=gettext_lazy("Coordinating organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        choices = selectors_joint_cases.possible_coordinators(household=household)
        self.fields["coordinator_organisation"].queryset = _organisations(choices)


class ParticipantForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        choices = selectors_joint_cases.joinable_organisations(case=case)
        self.fields["organisation"].queryset = _organisations(choices)


class CoordinatorForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Coordinating organisation"), queryset=Organisation.objects.none()
    )
    coordinator = forms.ModelChoiceField(
        label=gettext_lazy("Coordinator"), queryset=None, required=False
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors_joint_cases.participating_organisations(
            case=case
        )
        self.fields["coordinator"].queryset = selectors_joint_cases.participating_people(case=case)
        self.fields["coordinator"].label_from_instance = lambda user: user.name


class ActionForm(forms.Form):
    description = forms.CharField(label=gettext_lazy("Action"), max_length=500, required=False)
    owner_organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none()
    )
    owner_person = forms.ModelChoiceField(
        label=gettext_lazy("Person"), queryset=None, required=False
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "owner_organisation"
        ].queryset = selectors_joint_cases.participating_organisations(case=case)
        self.fields["owner_person"].queryset = selectors_joint_cases.participating_people(case=case)
        self.fields["owner_person"].label_from_instance = lambda user: user.name


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Visible to"),
        choices=[(value, capfirst(label)) for value, label in CaseNote.Visibility.choices],
        initial=CaseNote.Visibility.OWN,
        widget=forms.RadioSelect,
    )


class CloseForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("Closing summary"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


FORMS = {
    "participant": ParticipantForm,
    "coordinator": CoordinatorForm,
    "action": ActionForm,
    "note": NoteForm,
    "close": CloseForm,
}
NEEDS_CASE = {"participant", "coordinator", "action"}


def form_for(name, case, data=None):
    """The bound or unbound form of one action on a case."""
    kwargs = {"case": case} if name in NEEDS_CASE else {}
    return FORMS[name](data, **kwargs)
