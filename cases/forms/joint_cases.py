"""Forms of the joint-case pages. The organisations and people a form offers are read by the
view (cases.selectors.joint_cases) and handed in: a form reads no data of its own."""

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from cases.models import CaseNote
from partners.models import Organisation


def _organisations(items) -> QuerySet:
    return Organisation.objects.filter(pk__in=[o.pk for o in items]).order_by("name")


class CaseOpenForm(forms.Form):
    coordinator_organisation = forms.ModelChoiceField(
        label=gettext_lazy("Coordinating organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator_organisation"].queryset = _organisations(organisations)


class ParticipantForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations(organisations)


class CoordinatorForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Coordinating organisation"), queryset=Organisation.objects.none()
    )
    coordinator = forms.ModelChoiceField(
        label=gettext_lazy("Coordinator"), queryset=None, required=False
    )

    def __init__(self, *args, organisations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["coordinator"].queryset = people
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

    def __init__(self, *args, organisations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = organisations
        self.fields["owner_person"].queryset = people
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
