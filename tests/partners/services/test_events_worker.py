"""Events through a real Celery worker, with beat inside it, and a real Redis that the test
starts on a spare port of its own (tests/servers.py), to a real HTTP receiver: an event arrives;
an event written while Redis is down arrives once after it is back, queued by beat's sweep
(every two seconds here, EVENT_SWEEP_EVERY) and never twice (ADR 0029)."""

import time

import pytest
from django.utils import timezone

from cases.services.referrals import referral_send
from partners.models import EventDelivery, EventType
from tests.factories import SignalFactory, agree, consent_given

pytestmark = pytest.mark.django_db(transaction=True)
OUTAGE_SECONDS = 12


@pytest.fixture
def worker(start_worker):
    return start_worker(
        beat=True,
        EVENT_ALLOW_HTTP="true",
        EVENT_ALLOW_PRIVATE_ADDRESSES="true",
        EVENT_SWEEP_AFTER="1",
        EVENT_SWEEP_EVERY="2",
    )


@pytest.fixture
def refer(corporation_worker, household, welfare, lonely, subscribe, receiver):
    """Welfare's system listens on the receiver; each call refers the household to welfare."""
    subscribe(welfare, receiver.url(), EventType.REFERRAL_RECEIVED)
    agree(corporation_worker.organisation, welfare, lonely)
    consent_given(corporation_worker, household, welfare, [lonely])

    def _refer():
        signal = SignalFactory(household=household, category=lonely)
        return referral_send(
            actor=corporation_worker, household=household, to_organisation=welfare, signals=[signal]
        )

    return _refer


def ids(receiver) -> list[str]:
    return [got.headers["webhook-id"] for got in receiver.received]


def test_an_event_written_while_redis_is_down_arrives_once_after(
    worker, broker, refer, receiver, wait_for
):
    refer()
    wait_for(lambda: len(receiver.received) == 1, timeout=30, what="the first event")
    broker.stop()
    stopped = time.monotonic()
    during = refer()  # queued nowhere: Redis is down
    delivery = EventDelivery.objects.get(event__subject=f"verwijzingen/{during.pk}")
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped)))
    assert len(receiver.received) == 1
    assert EventDelivery.objects.get(pk=delivery.pk).delivered_at is None
    broker.start()  # an empty Redis: nothing that was queued before is in it
    wait_for(lambda: len(receiver.received) == 2, timeout=60, what="the sweep to send it")
    time.sleep(5)  # more sweeps come and go
    assert len(receiver.received) == 2
    assert len(set(ids(receiver))) == 2
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.delivered_at < timezone.now()
    assert delivery.attempts == 1
    assert "events_sweep" in worker.log.read_text()
