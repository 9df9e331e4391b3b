"""The balance page's choices (ADR 0035): which complex month by month, and the "what if" for
allocation: a complex and a number of homes that go to households likely to need help."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.common import filter_helper

MOST_HOMES = 500


class BalanceForm(forms.Form):
    complex = forms.TypedChoiceField(label=_("Complex"), coerce=int, required=False)
    homes = forms.IntegerField(
        label=_("Homes that go to households likely to need help"),
        required=False,
        min_value=1,
        max_value=MOST_HOMES,
    )

    def __init__(self, *args, complexes: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["complex"].choices = [("", _("All complexes together")), *complexes]
        self.helper = filter_helper()

    def clean(self):
        data = super().clean()
        if data.get("homes") and not data.get("complex"):
            self.add_error("complex", _("Choose the complex the homes are in."))
        return data
