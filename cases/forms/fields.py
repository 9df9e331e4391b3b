"""Form fields for what Dutch people type: amounts in euros, hours with a decimal comma, months."""

import re
from datetime import date
from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# 1.234,50 (Dutch) first, then 1,234.50. A separator followed by one or two digits is the
# decimal one; dots (or commas) followed by three digits group thousands: 1.234 is 1234.
DUTCH = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d{1,9})(?:,(\d{1,2}))?")
ENGLISH = re.compile(r"(\d{1,3}(?:,\d{3})+|\d{1,9})(?:\.(\d{1,2}))?")
HOURS = re.compile(r"(\d{1,4})(?:[.,](\d{1,2}))?")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _decimal_input(size: int) -> forms.TextInput:
    return forms.TextInput(
        attrs={"inputmode": "decimal", "autocomplete": "off", "maxlength": str(size)}
    )


class EuroField(forms.Field):
    """An amount in euros as typed: 1.234,50 or 1234,50 or 1234.50, with or without €."""

    default_error_messages = {"invalid": _("Give an amount in euros, like 1,234.50.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", _decimal_input(20))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return number_format(value, decimal_pos=2, use_l10n=True)
        return value

    def to_python(self, value):
        value = re.sub(r"[€\s]", "", _text(value))
        if not value:
            return None
        match = DUTCH.fullmatch(value) or ENGLISH.fullmatch(value)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        whole, cents = match.groups()
        return Decimal(f"{re.sub(r'[.,]', '', whole)}.{cents or '0'}")


class HoursField(forms.Field):
    """Hours with a decimal comma or point: 7,5 or 7.25."""

    default_error_messages = {"invalid": _("Give a number of hours, like 7.5.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", _decimal_input(8))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            value = value.normalize()
            places = max(0, -value.as_tuple().exponent)
            return number_format(value, decimal_pos=places, use_l10n=True)
        return value

    def to_python(self, value):
        value = re.sub(r"\s", "", _text(value))
        if not value:
            return None
        match = HOURS.fullmatch(value)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        whole, fraction = match.groups()
        return Decimal(f"{whole}.{fraction or '0'}")


class MonthInput(forms.TextInput):
    """The browser's month picker; a value it cannot hold (typed elsewhere, or in the URL) is
    shown in a text box instead, so it stays visible next to its error."""

    input_type = "month"

    def format_value(self, value):
        if isinstance(value, date):
            return value.strftime("%Y-%m")
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        shown = context["widget"]["value"]
        if shown and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(shown)):
            context["widget"]["type"] = "text"
        return context


class MonthField(forms.Field):
    """A month as the browser's month picker sends it (2026-03), or typed as 03-2026."""

    default_error_messages = {"invalid": _("Give a month like 2026-03.")}
    widget = MonthInput

    def to_python(self, value):
        if isinstance(value, date):
            return value.replace(day=1)
        value = _text(value)
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value) or re.fullmatch(
            r"(\d{1,2})-(\d{4})", value
        )
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        first, second = match.groups()
        year, month = (int(first), int(second)) if len(first) == 4 else (int(second), int(first))
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return date(year, month, 1)
