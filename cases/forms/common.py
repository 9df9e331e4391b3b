"""What the forms of cases share: the date input, the 'All' choice, a crispy helper for
filters, choices read beforehand, and a typed address."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.validators import POSTCODE_QUERY


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def capitalised(choices):
    """Options in a list start with a capital, as Dutch labels in lists do."""
    return [(value, capfirst(label)) for value, label in choices]


ALL = ("", _("All"))


def filter_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_method = "get"
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def offer_choices(field: forms.ModelChoiceField, model, choices: list[tuple[int, str]]) -> None:
    """Offer (id, label) pairs read beforehand (from the cache) instead of reading the queryset
    on every render; a chosen id is still checked to be one of them, against the database."""
    field.queryset = model.objects.filter(pk__in=[pk for pk, _label in choices])
    field.choices = [("", field.empty_label), *choices]


ADDRESS_HELP = _("Postcode and house number, with the addition if there is one: 1234 AB 12-a.")
ADDRESS_ERROR = _("Type a postcode and house number, like 1234 AB 12.")


def with_all(all_label, choices):
    """A filter's options: all first, then the choices with a capital."""
    return [("", all_label), *[(value, capfirst(label)) for value, label in choices]]


def clean_address(value: str) -> str:
    """A typed address must at least name a postcode and house number."""
    value = (value or "").strip()
    match = POSTCODE_QUERY.match(value)
    if not match or not match.group(3):
        raise forms.ValidationError(ADDRESS_ERROR)
    return value
