"""The duplicates world (ADR 0026): the cast's household and a second tenancy reference of the
same household at the same address, each with every kind of record a household has, made
through the services; and a census of every table that points to a household, for the tests
of a merge that loses nothing. Registered as a plugin in tests/conftest.py."""

import datetime
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from cases.models import AccessLog, Household
from cases.selectors.households import household_page
from cases.services import joint_cases
from cases.services.emergency import emergency_access_open
from cases.services.help_requests import help_request_create
from cases.services.referrals import referral_send
from cases.services.visits import SignalInput, home_visit_log
from tests.factories import (
    EMERGENCY_REASON,
    HouseholdFactory,
    ResidentFactory,
    agree,
    consent_given,
    request_package,
)

TODAY = timezone.localdate()


@dataclass
class Pair:
    survivor: Household
    absorbed: Household


def _foreign_keys_to_household() -> list[tuple[str, str]]:
    """(model, field) of every foreign key of the project to a household."""
    return sorted(
        (model._meta.label_lower, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model is Household
    )


def _census(*households: Household) -> dict[tuple[str, str, int], int]:
    """How many rows of each table point to each of these households, by (model, field)."""
    counts = {}
    for label, name in _foreign_keys_to_household():
        model = apps.get_model(label)
        for household in households:
            counts[(label, name, household.pk)] = model.objects.filter(**{name: household}).count()
    return counts


@pytest.fixture
def foreign_keys_to_household():
    """(model, field) of every foreign key of the project to a household."""
    return _foreign_keys_to_household()


@pytest.fixture
def census():
    """census(*households): rows of each table pointing to each household, by (model, field)."""
    return _census


def _records(actor, household, welfare, lonely, debt, number):
    home_visit_log(
        actor=actor,
        household=household,
        visited_on=TODAY - datetime.timedelta(days=number),
        kind="regulier",
        outcome="signalen",
        signals=[
            SignalInput(category=lonely, severity="midden", description=f"Alleen {number}"),
            SignalInput(category=debt, severity="laag", description=f"Post {number}"),
        ],
    )
    consent_given(actor, household, welfare, [lonely])
    signal = household.signals.filter(category=lonely).first()
    referral_send(actor=actor, household=household, to_organisation=welfare, signals=[signal])
    request_package(actor, household, household.corporation)
    help_request_create(
        actor=actor,
        household=household,
        signal=household.signals.filter(category=debt).first(),
        kind="taal_en_post",
        description=f"Hulp bij de post {number}",
        consent_given_on=TODAY,
        consent_how="mondeling",
    )
    household_page(actor=actor, pk=household.pk)  # a read in the access log


@pytest.fixture
def pair(corporation, corporation_worker, welfare, outsider, household, categories, neighbourhood):
    """The cast's household (Lindelaan 12-a, HC-000012, Anna de Test 1948) and the same household
    under tenancy reference HC-000099 (12-A; Anna again without a year, and Bram), each with a
    home visit, two signals, a consent, an open referral to welfare, a support package and a
    request for informal help; a
    joint case with an action and a note on the second, which another corporation's worker
    also opened in an emergency."""
    lonely, debt = categories[0], categories[1]
    agree(corporation, welfare, lonely, debt)
    absorbed = HouseholdFactory(
        corporation=corporation,
        street="Lindelaan",
        house_number=12,
        house_number_addition="A",
        postcode="9901 AB",
        neighbourhood=neighbourhood,
        tenancy_reference="HC-000099",
        phone="06 12345678",
    )
    ResidentFactory(household=absorbed, name="anna  de test", birth_year=None, is_main_tenant=True)
    ResidentFactory(household=absorbed, name="Bram de Test", birth_year=1950, is_main_tenant=False)
    for number, which in enumerate((household, absorbed), start=1):
        _records(corporation_worker, which, welfare, lonely, debt, number)
    case = joint_cases.case_open(actor=corporation_worker, household=absorbed)
    joint_cases.action_add(
        actor=corporation_worker,
        case=case,
        description="Huisbezoek plannen",
        owner_organisation=corporation,
        due_on=TODAY + datetime.timedelta(days=7),
    )
    joint_cases.note_add(actor=corporation_worker, case=case, text="Afspraak", visibility="all")
    emergency_access_open(actor=outsider, household=absorbed, reason=EMERGENCY_REASON)
    assert AccessLog.objects.filter(household=absorbed).exists()
    household.refresh_from_db()
    absorbed.refresh_from_db()
    return Pair(survivor=household, absorbed=absorbed)
