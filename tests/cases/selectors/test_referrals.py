"""Reads of referrals: what one referral gives the actor once its household is no longer shared
(issue 15, item 6)."""

import pytest
from django.utils import timezone

from cases.models import Referral
from cases.selectors.referrals import referral_get
from cases.services.consents import consent_withdraw
from tests.factories import REFERRAL_MESSAGE

pytestmark = pytest.mark.django_db

MESSAGE = REFERRAL_MESSAGE  # what the `shared` referral (tests/cases/conftest.py) says


def test_the_selector_gives_no_free_text_once_sharing_ended(
    shared, corporation_worker, welfare_worker
):
    referral, consent = shared
    consent_withdraw(actor=corporation_worker, consent=consent, withdrawn_on=timezone.localdate())
    seen = referral_get(actor=welfare_worker, pk=referral.pk, log=False)
    assert (seen.message, seen.outcome_note, seen.decline_reason) == ("", "", "")
    assert seen.text_withheld
    assert Referral.objects.get(pk=referral.pk).message == MESSAGE, "nothing is saved"
    assert referral_get(actor=corporation_worker, pk=referral.pk, log=False).message == MESSAGE
