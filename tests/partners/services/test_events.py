"""Events to an organisation's systems (ADR 0029), the outbox side: an event is written with a
delivery for each active subscription of that organisation to its type, in the caller's
transaction; another organisation's, a revoked system's and a paused subscription get nothing.
Subscribing checks the address and keeps the secret encrypted."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partners.models import Event, EventDelivery, EventSubscription, EventType, Membership
from partners.services.clients import client_revoke
from partners.services.events import (
    events_emit,
    events_purge,
    secret_open,
    subscription_create,
    subscription_pause,
    subscription_resume,
)
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

RECEIVED = EventType.REFERRAL_RECEIVED
WITHDRAWN = EventType.CONSENT_WITHDRAWN
URL = "http://127.0.0.1:9/gebeurtenissen"


def emit(organisation, type=RECEIVED, **extra):
    return events_emit(
        organisation_id=organisation.pk,
        type=type,
        subject="verwijzingen/7",
        data={"verwijzing": 7, "huishouden": 3, "status": "verzonden"},
        **extra,
    )


def delivered_to():
    return set(EventDelivery.objects.values_list("subscription_id", flat=True))


def test_an_event_goes_to_each_active_subscription_of_that_organisation_and_type(
    subscribe, welfare, third_corporation
):
    referrals, _ = subscribe(welfare, URL, RECEIVED)
    everything, _ = subscribe(welfare, URL)
    consents, _ = subscribe(welfare, URL, WITHDRAWN)
    elsewhere, _ = subscribe(third_corporation, URL, RECEIVED)
    event = emit(welfare)
    assert delivered_to() == {referrals.pk, everything.pk}
    assert (event.organisation, event.type, event.subject) == (welfare, RECEIVED, "verwijzingen/7")
    assert consents.pk not in delivered_to() and elsewhere.pk not in delivered_to()


def test_nothing_is_written_when_no_system_subscribed(subscribe, welfare, third_corporation):
    subscribe(third_corporation, URL, RECEIVED)
    subscribe(welfare, URL, WITHDRAWN)
    assert emit(welfare) is None
    assert not Event.objects.exists() and not EventDelivery.objects.exists()


def test_a_revoked_or_expired_system_and_a_paused_subscription_get_nothing(
    subscribe, welfare, api_key
):
    revoked, _ = subscribe(welfare, URL)
    paused, _ = subscribe(welfare, URL)
    expired, _ = subscribe(welfare, URL)
    active, _ = subscribe(welfare, URL)
    admin = MembershipFactory(organisation=welfare, role=Membership.Role.BEHEERDER)
    client_revoke(actor=admin, client=revoked.client)
    subscription_pause(actor=admin, subscription=paused)
    expired.client.__class__.objects.filter(pk=expired.client_id).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    emit(welfare)
    assert delivered_to() == {active.pk}
    subscription_resume(actor=admin, subscription=paused)
    emit(welfare)
    assert EventDelivery.objects.filter(subscription=paused).count() == 1


def test_nothing_is_written_when_the_surrounding_transaction_rolls_back(
    subscribe, welfare, django_capture_on_commit_callbacks
):
    subscribe(welfare, URL)
    with (
        django_capture_on_commit_callbacks() as queued,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        assert emit(welfare) is not None
        raise RuntimeError("what happened did not happen")
    assert not Event.objects.exists() and not EventDelivery.objects.exists()
    assert queued == []


def test_the_delivery_is_queued_after_commit(
    subscribe, welfare, django_capture_on_commit_callbacks
):
    subscribe(welfare, URL)
    with django_capture_on_commit_callbacks() as queued:
        emit(welfare)
    assert len(queued) == 1


def test_with_a_key_an_organisation_gets_an_event_once(subscribe, welfare, care):
    subscribe(welfare, URL)
    subscribe(care, URL)
    first = emit(welfare, dedupe_key="deadline-passed:7")
    assert emit(welfare, dedupe_key="deadline-passed:7") is None
    assert emit(care, dedupe_key="deadline-passed:7") is not None
    assert Event.objects.filter(organisation=welfare).get() == first
    assert EventDelivery.objects.count() == 2


# --- subscribing ------------------------------------------------------------------------------


@pytest.fixture
def system(api_key, welfare, settings):
    settings.EVENT_ALLOW_HTTP = True
    settings.EVENT_ALLOW_PRIVATE_ADDRESSES = True
    client, _key = api_key(welfare)
    return client


@pytest.fixture
def welfare_admin(welfare):
    return MembershipFactory(organisation=welfare, role=Membership.Role.BEHEERDER)


def test_the_secret_is_shown_once_and_kept_encrypted(system, welfare_admin, settings):
    issued = subscription_create(
        actor=welfare_admin, client=system, url=f" {URL} ", types=[WITHDRAWN, RECEIVED]
    )
    stored = EventSubscription.objects.get()
    assert issued.secret.startswith("whsec_") and len(issued.secret) > 40
    assert issued.secret not in str(EventSubscription.objects.values().get())
    assert secret_open(stored.secret) == issued.secret
    assert (stored.url, stored.types) == (URL, [RECEIVED, WITHDRAWN])  # in the order offered
    # A new SECRET_KEY with the old one as a fallback still opens it.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-" + "x7Q2" * 8
    assert secret_open(stored.secret) == issued.secret


def test_only_an_administrator_of_the_systems_organisation_subscribes(
    system, welfare_worker, outsider_admin
):
    for actor in (welfare_worker, outsider_admin):
        with pytest.raises(ValidationError, match="beheerder"):
            subscription_create(actor=actor, client=system, url=URL, types=[RECEIVED])
    assert not EventSubscription.objects.exists()


def test_a_revoked_system_cannot_subscribe(system, welfare_admin):
    client_revoke(actor=welfare_admin, client=system)
    with pytest.raises(ValidationError, match="ingetrokken"):
        subscription_create(actor=welfare_admin, client=system, url=URL, types=[RECEIVED])


@pytest.mark.parametrize(
    ("url", "allow_http", "allow_private", "message"),
    [
        ("", True, True, "Vul het adres in"),
        ("http://127.0.0.1:9/", False, True, "moet beginnen met https://"),
        ("ftp://127.0.0.1/", True, True, "moet beginnen met https:// of http://"),
        ("https://127.0.0.1/", True, False, "privé- of lokaal netwerk"),
        ("https://localhost/", True, False, "privé- of lokaal netwerk"),
        ("https://169.254.169.254/latest/", True, False, "privé- of lokaal netwerk"),
        ("https://[::1]/", True, False, "privé- of lokaal netwerk"),
        ("https://gebruiker:wachtwoord@127.0.0.1/", True, True, "gebruikersnaam"),
        ("https:///pad", True, True, "geen hostnaam"),
        ("https://bestaat-niet.invalid/", True, True, "niet gevonden"),
    ],
)
def test_an_address_that_may_not_be_used_is_refused_with_why(
    system, welfare_admin, settings, url, allow_http, allow_private, message
):
    settings.EVENT_ALLOW_HTTP = allow_http
    settings.EVENT_ALLOW_PRIVATE_ADDRESSES = allow_private
    with pytest.raises(ValidationError) as refused:
        subscription_create(actor=welfare_admin, client=system, url=url, types=[RECEIVED])
    assert message in refused.value.message_dict["url"][0]
    assert not EventSubscription.objects.exists()


def test_events_must_be_chosen_from_those_offered(system, welfare_admin):
    for types, message in (([], "Kies welke"), (["nl.inclusie.alles"], "Kies uit")):
        with pytest.raises(ValidationError) as refused:
            subscription_create(actor=welfare_admin, client=system, url=URL, types=types)
        assert message in refused.value.message_dict["types"][0]


# --- forgetting ----------------------------------------------------------------------------------


def test_done_deliveries_are_forgotten_after_their_term_and_waiting_ones_kept(
    subscribe, welfare, settings
):
    settings.EVENT_KEPT_DAYS = 90
    subscribe(welfare, URL)
    old = timezone.now() - datetime.timedelta(days=91)
    delivered, failed, waiting, told, recent = (
        emit(welfare),
        emit(welfare),
        emit(welfare),
        emit(welfare, dedupe_key="deadline-passed:7"),
        emit(welfare),
    )
    for event in (delivered, failed, waiting, told):
        Event.objects.filter(pk=event.pk).update(created_at=old)
        EventDelivery.objects.filter(event=event).update(created_at=old)
    for event in (delivered, told, recent):
        EventDelivery.objects.filter(event=event).update(delivered_at=timezone.now())
    EventDelivery.objects.filter(event=failed).update(failed_at=timezone.now())

    assert events_purge() == 3
    assert set(EventDelivery.objects.values_list("event_id", flat=True)) == {waiting.pk, recent.pk}
    # The deadline's event stays (it says the deadline was told); the others went with them.
    assert set(Event.objects.values_list("pk", flat=True)) == {waiting.pk, told.pk, recent.pk}
