"""The suggestions as the request's page shows them (templates/cases/_help_suggestions.html):
first name, the reasons with distance and load, and a form per helper that posts the helper
to the URL the page gives."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from cases.selectors.matching import helper_suggestions

pytestmark = pytest.mark.django_db


def _shown(actor, request, propose_url="/hulpvragen/7/voorstellen/"):
    with translation.override("nl"):
        suggestions = helper_suggestions(actor=actor, request=request)
        return render_to_string(
            "cases/_help_suggestions.html",
            {"request": request, "suggestions": suggestions, "propose_url": propose_url},
            request=RequestFactory().get("/"),
        )


def test_each_suggestion_with_its_reasons_and_a_form_to_propose(corporation_worker, ask, helper_at):
    near = helper_at("Ans", north=300)
    helper_at("Bert", north=800, surname="Geheim")
    html = _shown(corporation_worker, ask())
    items = re.findall(r'data-testid="help-suggestion">(.*?)</li>', html, re.S)
    assert len(items) == 2
    assert "Ans" in items[0] and "Bert" in items[1] and "Geheim" not in html
    assert "woont 300 m verderop, biedt boodschappen, geen lopende hulpvragen" in items[0]
    assert 'action="/hulpvragen/7/voorstellen/"' in items[0]
    assert f'name="helper" value="{near.pk}"' in items[0]
    assert 'name="csrfmiddlewaretoken"' in items[0]
    assert ">Voorstellen</button>" in items[0] and 'aria-label="Stel Ans voor"' in items[0]


def test_no_suggestion_says_why_in_dutch(corporation_worker, ask):
    html = _shown(corporation_worker, ask())
    assert 'data-testid="help-suggestions-none"' in html
    assert "Geen drager van je organisatie past nu bij deze hulpvraag" in html
