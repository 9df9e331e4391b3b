"""Sharing ends for free text too (issue 15, item 6): once a household is no longer shared with
the organisation a referral went to, its people see that the referral existed, its status and
dates, but not the message, the outcome note or the reason they declined; the sender still
reads all of it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Referral
from cases.services.consents import consent_withdraw
from cases.services.referrals import (
    referral_accept,
    referral_complete,
    referral_decline,
)
from tests.factories import REFERRAL_MESSAGE

pytestmark = pytest.mark.django_db

MESSAGE = REFERRAL_MESSAGE  # what the `shared` referral (tests/cases/conftest.py) says
NOTE = "Gaat nu elke dinsdag naar de soos"
REASON = "Wachtlijst tot maart"


def _page(login, membership, referral) -> str:
    response = login(membership).get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_while_shared_the_receiver_reads_the_message(login, shared, welfare_worker):
    html = _page(login, welfare_worker, shared[0])
    assert MESSAGE in html and 'data-testid="text-withheld"' not in html


def test_after_consent_is_withdrawn(login, shared, corporation_worker, welfare_worker):
    referral, consent = shared
    referral_accept(actor=welfare_worker, referral=referral)
    consent_withdraw(actor=corporation_worker, consent=consent, withdrawn_on=timezone.localdate())
    html = _page(login, welfare_worker, referral)
    assert MESSAGE not in html
    assert 'data-testid="text-withheld"' in html
    assert "Geaccepteerd" in html, "the status still shows"
    assert MESSAGE in _page(login, corporation_worker, referral)


def test_after_the_access_period_past_completion(
    login, shared, corporation_worker, welfare_worker, settings
):
    referral, _consent = shared
    referral_accept(actor=welfare_worker, referral=referral)
    referral_complete(actor=welfare_worker, referral=referral, outcome="geholpen", note=NOTE)
    assert NOTE in _page(login, welfare_worker, referral), "within the period"
    Referral.objects.filter(pk=referral.pk).update(
        closed_at=timezone.now()
        - datetime.timedelta(days=settings.REFERRAL_ACCESS_DAYS_AFTER_CLOSE + 1)
    )
    html = _page(login, welfare_worker, referral)
    assert MESSAGE not in html and NOTE not in html
    assert "Geholpen" in html, "the outcome's kind is no free text"
    sender = _page(login, corporation_worker, referral)
    assert MESSAGE in sender and NOTE in sender


def test_after_declining(login, shared, corporation_worker, welfare_worker):
    referral, _consent = shared
    referral_decline(
        actor=welfare_worker, referral=referral, reason=REASON, category="geen_capaciteit"
    )
    html = _page(login, welfare_worker, referral)
    assert MESSAGE not in html and REASON not in html
    assert "Afgewezen" in html
    sender = _page(login, corporation_worker, referral)
    assert MESSAGE in sender and REASON in sender
