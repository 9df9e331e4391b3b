"""The consents the household page lists: in force first, then withdrawn and ended, in the
same queries for one consent or many."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cases.selectors.consents import consents_of
from cases.services.consents import consent_withdraw
from tests.factories import consent_given

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def create_url(household):
    return reverse("consents:create", args=[household.pk])


def withdraw_url(consent):
    return reverse("consents:withdraw", args=[consent.household_id, consent.pk])


@pytest.fixture
def three_consents(corporation_worker, household, welfare, care, municipality, categories):
    ended = consent_given(
        corporation_worker,
        household,
        care,
        categories[:1],
        purpose="Zorg aan huis",
        given_on=TODAY - 60 * DAY,
        ends_on=TODAY - DAY,
    )
    withdrawn = consent_given(
        corporation_worker, household, municipality, categories[1:2], purpose="Schuldhulp"
    )
    consent_withdraw(actor=corporation_worker, consent=withdrawn, withdrawn_on=TODAY)
    in_force = consent_given(
        corporation_worker,
        household,
        welfare,
        categories[:2],
        purpose="Ondersteuning bij eenzaamheid",
        given_on=TODAY - 90 * DAY,
        ends_on=TODAY + 30 * DAY,
    )
    return in_force, withdrawn, ended


def render_consents(household):
    consents = consents_of(household=household)
    html = render_to_string("cases/_consents.html", {"consents": consents, "household": household})
    return consents, html


def test_the_list_shows_consents_in_force_first_then_withdrawn_and_ended(
    household, three_consents, corporation_worker
):
    in_force, withdrawn, ended = three_consents
    with translation.override("en"):
        consents, html = render_consents(household)
    assert consents[0] == in_force
    assert {c.pk: c.state for c in consents} == {
        in_force.pk: "in_force",
        withdrawn.pk: "withdrawn",
        ended.pk: "ended",
    }
    assert html.index("Ondersteuning bij eenzaamheid") < html.index("Schuldhulp")
    assert html.index("Ondersteuning bij eenzaamheid") < html.index("Zorg aan huis")
    assert "In force" in html and "Withdrawn on" in html and "Ended" in html
    assert "text-bg-success" in html and "text-bg-danger" in html
    # Withdrawing is offered for the consent in force only.
    assert withdraw_url(in_force) in html
    assert withdraw_url(withdrawn) not in html and withdraw_url(ended) not in html
    assert create_url(household) in html and "Record consent" in html
    assert corporation_worker.user.name in html and "Orally" in html
    assert TODAY.strftime("%Y") in html


def test_the_list_costs_the_same_queries_for_one_consent_or_many(
    household, corporation_worker, welfare, categories
):
    consent_given(corporation_worker, household, welfare, categories[:2])
    with CaptureQueriesContext(connection) as one:
        render_consents(household)
    for _ in range(5):
        consent = consent_given(corporation_worker, household, welfare, categories[:2])
        consent_withdraw(actor=corporation_worker, consent=consent, withdrawn_on=TODAY)
    with CaptureQueriesContext(connection) as six:
        consents, _html = render_consents(household)
    assert len(consents) == 6
    assert len(one) == len(six) <= 2
