"""The events the workflow writes beside its notifications (ADR 0029): a referral received, a
referral's deadline passed (once) and consent withdrawn reach the subscribed systems of the
organisation concerned, with ids and statuses and no personal details."""

import datetime
import json

import pytest
from django.utils import timezone

from cases.services import notices
from cases.services.consents import consent_withdraw
from cases.services.referrals import referral_accept
from partners.models import Event, EventDelivery, EventType

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:9/gebeurtenissen"


def events_of(organisation, type):
    return Event.objects.filter(organisation=organisation, type=type)


def no_personal_details(event, household):
    text = json.dumps(event.data)
    resident = household.residents.get()
    for detail in (household.street, household.postcode, household.tenancy_reference,
                   resident.name):  # fmt: skip
        assert detail not in text


def test_a_referral_received_reaches_the_receivers_systems(
    send, subscribe, welfare, corporation, household
):
    listening, _secret = subscribe(welfare, URL, EventType.REFERRAL_RECEIVED)
    sender, _secret = subscribe(corporation, URL)
    referral = send()
    event = events_of(welfare, EventType.REFERRAL_RECEIVED).get()
    assert event.subject == f"verwijzingen/{referral.pk}"
    assert event.data == {
        "verwijzing": referral.pk,
        "huishouden": household.pk,
        "van": corporation.pk,
        "aan": welfare.pk,
        "status": "verzonden",
        "reagerenVoor": referral.deadline.isoformat(),
    }
    no_personal_details(event, household)
    assert EventDelivery.objects.get().subscription == listening
    assert not EventDelivery.objects.filter(subscription=sender).exists()


@pytest.mark.parametrize("people", [True, False], ids=["with intake", "nobody to notify"])
def test_a_deadline_passed_is_told_once(send, subscribe, welfare, household, request, people):
    """Also when no person at the receiver could be told, so hourly runs look at it again."""
    if people:
        request.getfixturevalue("intake")
    subscribe(welfare, URL, EventType.DEADLINE_PASSED)
    referral = send()
    late = referral.deadline + datetime.timedelta(days=1)
    notices.deadlines_check(today=referral.deadline)
    assert not events_of(welfare, EventType.DEADLINE_PASSED).exists()
    notices.deadlines_check(today=late)
    notices.deadlines_check(today=late)
    event = events_of(welfare, EventType.DEADLINE_PASSED).get()
    assert (event.subject, event.data["verwijzing"]) == (f"verwijzingen/{referral.pk}", referral.pk)
    assert EventDelivery.objects.filter(event=event).count() == 1
    no_personal_details(event, household)


def test_an_answered_referral_passes_no_deadline(send, subscribe, welfare, intake):
    subscribe(welfare, URL, EventType.DEADLINE_PASSED)
    referral = send()
    referral_accept(actor=intake, referral=referral)
    notices.deadlines_check(today=referral.deadline + datetime.timedelta(days=3))
    assert not Event.objects.exists()


def test_a_consent_withdrawn_reaches_the_organisation_that_loses_access(
    send, subscribe, welfare, corporation, corporation_worker, household
):
    subscribe(welfare, URL, EventType.CONSENT_WITHDRAWN)
    subscribe(corporation, URL, EventType.CONSENT_WITHDRAWN)
    referral = send()
    consent = referral.consent
    consent_withdraw(actor=corporation_worker, consent=consent, withdrawn_on=timezone.localdate())
    event = Event.objects.get()
    assert (event.organisation, event.type) == (welfare, EventType.CONSENT_WITHDRAWN)
    assert event.subject == f"toestemmingen/{consent.pk}"
    assert event.data == {
        "toestemming": consent.pk,
        "huishouden": household.pk,
        "van": corporation.pk,
        "aan": welfare.pk,
        "verwijzingen": [referral.pk],
    }
    no_personal_details(event, household)
