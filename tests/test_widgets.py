"""FastSelect writes the same HTML as Django's Select, only faster (ADR 0012)."""

import re

import pytest
from django import forms

from inclusie.widgets import FastSelect

CHOICES = [
    ("", "Alle"),
    ("1", 'Buurt <Oost> & "Noord"'),
    ("2", "Wijk 2"),
    ("Groep", [("3", "Drie"), ("4", "Vier")]),
]


def normalised(html: str) -> str:
    """Django's templates put newlines between options; the browser ignores them."""
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("value", [None, "", "1", "4", "bestaat-niet"])
def test_fast_select_renders_as_django_does(value):
    attrs = {"id": "id_buurt", "class": "form-select", "aria-describedby": "hulp"}
    expected = forms.Select(choices=CHOICES).render("buurt", value, attrs=attrs)
    actual = FastSelect(choices=CHOICES).render("buurt", value, attrs=attrs)
    assert normalised(actual) == normalised(expected)
    assert "&lt;Oost&gt; &amp; &quot;Noord&quot;" in actual


def test_fast_select_in_a_form_keeps_the_choice_and_the_errors():
    class Form(forms.Form):
        buurt = forms.ChoiceField(choices=CHOICES, widget=FastSelect)

    form = Form({"buurt": "2"})
    assert form.is_valid()
    assert 'value="2" selected' in str(form["buurt"])
    invalid = Form({"buurt": "9"})
    assert not invalid.is_valid() and "buurt" in invalid.errors
