"""Delivering events (ADR 0029) to a real HTTP server that the test starts (tests/servers.py):
the body is a CloudEvent that the CloudEvents SDK reads, signed so that the Standard Webhooks
reference library verifies it; a failure is logged and retried with backoff by the sweep,
delivered once; a time-out is logged; after the last attempt it is failed; a redirect is not
followed; a private address is refused unless allowed. Celery runs eagerly here; the worker
test shows the same through Redis."""

import datetime

import pytest
from cloudevents.core.bindings.http import HTTPMessage, from_http_event
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from partners.models import EventAttempt, EventDelivery, EventType, Membership, Outcome
from partners.services.clients import client_revoke
from partners.services.events import (
    delivery_resend,
    event_deliver,
    events_emit,
    events_sweep,
    subscription_pause,
    subscription_resume,
)
from partners.services.notifications import backoff
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DATA = {"verwijzing": 7, "huishouden": 3, "van": 1, "aan": 2, "status": "verzonden"}


@pytest.fixture
def hook(subscribe, welfare, receiver):
    """Welfare's system listens on the receiver."""
    return subscribe(welfare, receiver.url(), EventType.REFERRAL_RECEIVED)


@pytest.fixture
def emit(welfare, django_capture_on_commit_callbacks):
    def _emit():
        with django_capture_on_commit_callbacks(execute=True):
            events_emit(
                organisation_id=welfare.pk,
                type=EventType.REFERRAL_RECEIVED,
                subject="verwijzingen/7",
                data=DATA,
            )
        return EventDelivery.objects.select_related("event").latest("pk")

    return _emit


@pytest.fixture
def admin(welfare):
    return MembershipFactory(organisation=welfare, role=Membership.Role.BEHEERDER)


def later(delivery, minutes=90):
    """Time passes: the delivery's turn has come and the sweep's wait is over."""
    past = timezone.now() - datetime.timedelta(minutes=minutes)
    EventDelivery.objects.filter(pk=delivery.pk).update(
        created_at=past,
        queued_at=None,
        claimed_until=timezone.now() - datetime.timedelta(seconds=1),
    )


def outcomes(delivery):
    return list(
        EventAttempt.objects.filter(delivery=delivery)
        .order_by("at", "pk")
        .values_list("outcome", "status_code")
    )


def test_the_event_is_a_signed_cloudevent_with_ids_only(hook, emit, receiver, settings):
    subscription, secret = hook
    delivery = emit()
    [got] = receiver.received
    # A receiver's CloudEvents SDK reads it (it refuses a body without the required attributes).
    event = from_http_event(
        HTTPMessage(headers={k.lower(): v for k, v in got.headers.items()}, body=got.body)
    )
    assert event.get_specversion() == "1.0"
    assert event.get_id() == str(delivery.event.uid)
    assert event.get_type() == "nl.inclusie.verwijzing.ontvangen"
    assert event.get_source() == f"{settings.SITE_URL}/api/v1"
    assert event.get_subject() == "verwijzingen/7"
    assert event.get_datacontenttype() == "application/json"
    assert abs(event.get_time() - delivery.event.created_at) < datetime.timedelta(seconds=1)
    assert event.get_data() == DATA
    assert got.headers["Content-Type"].startswith("application/cloudevents+json")
    # The Standard Webhooks reference library, as a receiver uses it, verifies the signature.
    assert got.headers["webhook-id"] == str(delivery.event.uid)
    assert got.headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(got.body, got.headers) == got.json()
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(got.body.replace(b'"verwijzing":7', b'"verwijzing":8'), got.headers)
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempts == 1
    assert outcomes(delivery) == [(Outcome.DELIVERED, 200)]
    # A second run (a sweep's copy, a redelivered message) finds nothing to do.
    assert event_deliver(delivery_id=delivery.pk) is False
    assert len(receiver.received) == 1


def test_a_failure_is_retried_with_backoff_and_delivered_once(hook, emit, receiver):
    receiver.answers = [(500, 0, {})]
    delivery = emit()
    delivery.refresh_from_db()
    assert (delivery.delivered_at, delivery.attempts, delivery.last_status_code) == (None, 1, 500)
    wait = delivery.claimed_until - timezone.now()
    assert datetime.timedelta(seconds=50) < wait <= datetime.timedelta(seconds=60)
    assert events_sweep() == 0  # its turn has not come
    later(delivery)
    assert events_sweep() == 1
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempts == 2
    assert outcomes(delivery) == [(Outcome.STATUS, 500), (Outcome.DELIVERED, 200)]
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.json()["id"] == second.json()["id"]
    assert events_sweep() == 0
    assert len(receiver.received) == 2
    # The next failures wait longer: two minutes after the second, up to an hour.
    assert [backoff(n).seconds for n in (1, 2, 3, 7, 20)] == [60, 120, 240, 3600, 3600]


def test_a_time_out_is_logged(hook, emit, receiver, settings):
    settings.EVENT_TIMEOUT_SECONDS = 1
    receiver.answers = [(200, 2.5, {})]
    delivery = emit()
    delivery.refresh_from_db()
    assert delivery.delivered_at is None and delivery.last_outcome == Outcome.TIMEOUT
    attempt = EventAttempt.objects.get(delivery=delivery)
    assert attempt.outcome == Outcome.TIMEOUT and attempt.status_code is None
    assert 1000 <= attempt.duration_ms < 2500


def test_after_the_last_attempt_it_is_failed_and_left_alone(hook, emit, receiver, settings):
    settings.EVENT_MAX_ATTEMPTS = 2
    receiver.answers = [(500, 0, {}), (503, 0, {})]
    delivery = emit()
    later(delivery)
    events_sweep()
    delivery.refresh_from_db()
    assert delivery.failed_at is not None and delivery.last_status_code == 503
    assert delivery.claimed_until is None
    later(delivery)
    assert events_sweep() == 0
    assert event_deliver(delivery_id=delivery.pk) is False
    assert len(receiver.received) == 2


def test_a_redirect_is_not_followed(hook, emit, receiver):
    elsewhere = receiver.url("/elders")
    receiver.answers = [(307, 0, {"Location": elsewhere})]
    delivery = emit()
    delivery.refresh_from_db()
    assert delivery.delivered_at is None and delivery.last_outcome == Outcome.REDIRECT
    assert [r.path for r in receiver.received] == ["/gebeurtenissen"]
    assert EventAttempt.objects.get(delivery=delivery).detail == elsewhere


@pytest.mark.parametrize(
    ("allow_http", "allow_private"), [(True, False), (False, True)], ids=["private", "http"]
)
def test_an_address_not_allowed_is_not_contacted(
    hook, emit, receiver, settings, allow_http, allow_private
):
    settings.EVENT_ALLOW_HTTP = allow_http
    settings.EVENT_ALLOW_PRIVATE_ADDRESSES = allow_private
    delivery = emit()
    assert receiver.received == []
    attempt = EventAttempt.objects.get(delivery=delivery)
    assert attempt.outcome == Outcome.ADDRESS and attempt.detail
    settings.EVENT_ALLOW_HTTP = settings.EVENT_ALLOW_PRIVATE_ADDRESSES = True
    later(delivery)
    events_sweep()
    assert len(receiver.received) == 1


def test_resending_a_delivered_event_sends_the_same_event_again(
    hook, emit, receiver, admin, django_capture_on_commit_callbacks
):
    delivery = emit()
    with django_capture_on_commit_callbacks(execute=True):
        delivery_resend(actor=admin, delivery=delivery)
    first, again = receiver.received
    assert first.json() == again.json()
    assert again.headers["webhook-id"] == first.headers["webhook-id"]
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.resent_at is not None


def test_resending_a_failed_event_gives_it_its_attempts_again(
    hook, emit, receiver, admin, settings, django_capture_on_commit_callbacks
):
    settings.EVENT_MAX_ATTEMPTS = 1
    receiver.answers = [(500, 0, {})]
    delivery = emit()
    delivery.refresh_from_db()
    assert delivery.failed_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        delivery_resend(actor=admin, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.failed_at is None and delivery.delivered_at is not None
    assert delivery.attempts == 1
    assert outcomes(delivery) == [(Outcome.STATUS, 500), (Outcome.DELIVERED, 200)]


def test_a_paused_subscription_holds_what_waits_until_it_is_resumed(
    hook, emit, receiver, admin, django_capture_on_commit_callbacks
):
    subscription, _secret = hook
    receiver.answers = [(500, 0, {})]
    delivery = emit()
    subscription_pause(actor=admin, subscription=subscription)
    later(delivery)
    assert events_sweep() == 0
    assert event_deliver(delivery_id=delivery.pk) is False
    with django_capture_on_commit_callbacks(execute=True):
        subscription_resume(actor=admin, subscription=subscription)
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None
    assert len(receiver.received) == 2


def test_a_revoked_system_gets_nothing_more(hook, emit, receiver, admin):
    subscription, _secret = hook
    receiver.answers = [(500, 0, {})]
    delivery = emit()
    client_revoke(actor=admin, client=subscription.client)
    later(delivery)
    assert events_sweep() == 0
    assert event_deliver(delivery_id=delivery.pk) is False
    assert len(receiver.received) == 1
