"""Informal help agreed and given, and the balance per complex (ADR 0035), for the tests of
several directories: an agreed match of the corporation's worker, and a small world of
complexes with helpers and households asking."""

import datetime

import pytest
from django.utils import timezone

from cases.workflow import MatchStatus
from tests.factories import (
    ComplexFactory,
    HelperFactory,
    HelpMatchFactory,
    HelpRequestFactory,
    HouseholdFactory,
)


def _agreed(worker, household, *, days_ago=10, helper=None):
    """A match agreed `days_ago` days ago on a request of `worker`'s organisation."""
    at = timezone.now() - datetime.timedelta(days=days_ago)
    request = HelpRequestFactory(
        household=household,
        organisation=worker.organisation,
        created_by=worker.user,
        consent_recorded_by=worker.user,
        created_at=at - datetime.timedelta(days=3),
        status="gekoppeld",
    )
    return HelpMatchFactory(
        request=request,
        helper=helper or HelperFactory(organisation=worker.organisation),
        proposed_by=worker.user,
        proposed_at=at - datetime.timedelta(days=1),
        status=MatchStatus.AGREED,
        helper_answered_at=at,
        household_agreed_at=at,
        agreed_at=at,
        last_activity_at=at,
    )


@pytest.fixture
def agreed_match(db):
    return _agreed


def _asking(corporation, complex_, count, *, organisation=None):
    """`count` households of the complex, each with an open request."""
    return [
        HelpRequestFactory(
            household=HouseholdFactory(corporation=corporation, complex=complex_),
            organisation=organisation or corporation,
        )
        for _ in range(count)
    ]


def _helpers(organisation, complex_, count):
    return [HelperFactory(organisation=organisation, complex=complex_) for _ in range(count)]


@pytest.fixture
def balance_world(db, corporation, neighbourhood):
    """Two complexes of the corporation: De Linde with 6 helpers and 3 households asking, Het
    Plein with 1 helper and 7 households asking; and 2 helpers in no complex."""
    linde = ComplexFactory(corporation=corporation, name="De Linde", neighbourhood=neighbourhood)
    plein = ComplexFactory(corporation=corporation, name="Het Plein", neighbourhood=neighbourhood)
    _helpers(corporation, linde, 6)
    _helpers(corporation, plein, 1)
    _helpers(corporation, None, 2)
    _asking(corporation, linde, 3)
    _asking(corporation, plein, 7)
    return {"linde": linde, "plein": plein}


@pytest.fixture
def add_asking(db):
    return _asking


@pytest.fixture
def add_helpers(db):
    return _helpers
