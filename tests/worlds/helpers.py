"""Helpers (dragers) and their personal links (ADR 0032), for the tests of several
directories: what a worker types to register one, registering one, and a link handed over on
screen (its token)."""

import pytest
from django.utils import timezone

from cases.services.helpers import helper_register
from cases.services.links import helper_link_issue


def _helper_values(**overrides) -> dict:
    """What a worker types to register a helper, valid unless overridden."""
    today = timezone.localdate()
    values = {
        "first_name": "Henk",
        "surname": "de Vries",
        "phone": "06 0000 1234",
        "email": "henk@test.example",
        "offers": ["boodschappen", "gezelschap"],
        "days": ["ma", "wo"],
        "day_parts": ["ochtend"],
        "reach_metres": 500,
        "own_street_only": False,
        "street_address": "Lindelaan 4",
        "postcode": "9901 AB",
        "consent_given_on": today,
        "consent_how": "mondeling",
        "vog_seen_on": None,
        "vog_expires_on": None,
    }
    values.update(overrides)
    return values


def _register_helper(actor, **overrides):
    return helper_register(actor=actor, **_helper_values(**overrides))


def _helper_link(actor, helper) -> str:
    """A new link handed over on screen; returns its token."""
    issued = helper_link_issue(actor=actor, helper=helper, delivery="scherm")
    return issued.url.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def helper_values():
    return _helper_values


@pytest.fixture
def register_helper(db):
    return _register_helper


@pytest.fixture
def helper_link(db):
    return _helper_link
