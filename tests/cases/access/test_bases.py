"""The legal bases services and selectors ask for: who may pay a support package."""

import pytest
from django.utils import timezone, translation

from cases.access.bases import payer_choices
from cases.services.consents import consent_record
from cases.services.referrals import referral_send
from tests.factories import SignalFactory, agree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Services called directly speak the message ids; the pages speak Dutch per request."""
    with translation.override("en"):
        yield


def test_a_partner_is_offered_only_the_corporation_and_itself(
    corporation_worker, welfare_worker, household, corporation, welfare, municipality, referred
):
    categories = list(referred.signals.all())
    agree(corporation, municipality, categories[0].category)
    consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=municipality,
        purpose="Schuldhulp",
        categories=[categories[0].category],
        given_how="mondeling",
        given_on=timezone.localdate(),
    )
    signal = SignalFactory(household=household, category=categories[0].category)
    referral_send(
        actor=corporation_worker,
        household=household,
        to_organisation=municipality,
        signals=[signal],
    )
    everyone = {corporation.pk, welfare.pk, municipality.pk}
    assert payer_choices(actor=corporation_worker, household=household) == everyone
    assert payer_choices(actor=welfare_worker, household=household) == {
        corporation.pk,
        welfare.pk,
    }, "welfare is not told about the municipality's referral"
