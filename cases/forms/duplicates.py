"""The administrator's decision about two households that may be one (ADR 0026): merge them,
choosing the one that goes on, or mark them as distinct."""

from django import forms
from django.utils.translation import gettext_lazy as _

MERGE, DISTINCT = "samenvoegen", "apart"


class DuplicateDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[(MERGE, MERGE), (DISTINCT, DISTINCT)])
    survivor = forms.TypedChoiceField(
        label=_("Which household goes on?"),
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Everything about the other household moves to this one; the other stays as a "
            "closed record that points here."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I checked that these are one and the same household."),
        required=False,
    )

    def __init__(self, *args, households: list[tuple[int, str]], **kwargs):
        """`households`: the two households, (id, how the page names it)."""
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = households

    def clean(self):
        data = super().clean()
        if data.get("action") == MERGE:
            if not data.get("survivor"):
                self.add_error("survivor", _("Choose the household that goes on."))
            if not data.get("confirm"):
                self.add_error(
                    "confirm",
                    _("Tick that you checked these are one household: a merge is not undone."),
                )
        return data
