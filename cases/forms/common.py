from crispy_forms.helper import FormHelper
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _capitalised(choices):
    """Options in a list start with a capital, as Dutch labels in lists do."""
    return [(value, capfirst(label)) for value, label in choices]


ALL = ("", _("All"))


def _get_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_method = "get"
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def _offer(field: forms.ModelChoiceField, model, choices: list[tuple[int, str]]) -> None:
    """Offer (id, label) pairs read beforehand (from the cache) instead of reading the queryset
    on every render; a chosen id is still checked to be one of them, against the database."""
    field.queryset = model.objects.filter(pk__in=[pk for pk, _label in choices])
    field.choices = [("", field.empty_label), *choices]
