"""The administrators' pages of a system's event subscriptions (ADR 0029): subscribe and see the
secret once, the delivery log with its query count, pause, resume and send again; only the
administrators of the system's own organisation."""

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import (
    Event,
    EventAttempt,
    EventDelivery,
    EventSubscription,
    EventType,
    Outcome,
)

pytestmark = pytest.mark.django_db
URL = "http://127.0.0.1:9/gebeurtenissen"


@pytest.fixture
def system(api_key, admin, settings):
    settings.EVENT_ALLOW_HTTP = True
    settings.EVENT_ALLOW_PRIVATE_ADDRESSES = True
    client, _key = api_key(admin.organisation)
    return client


@pytest.fixture
def subscription(subscribe, admin, system):
    made, _secret = subscribe(admin.organisation, URL, client=system)
    return made


def log_url(subscription):
    return reverse("events:detail", args=[subscription.client_id, subscription.pk])


def deliveries(subscription, count, **fields):
    now = timezone.now()
    made = []
    for n in range(count):
        event = Event.objects.create(
            organisation_id=subscription.client.organisation_id,
            type=EventType.REFERRAL_RECEIVED,
            subject=f"verwijzingen/{n}",
            data={"verwijzing": n},
        )
        delivery = EventDelivery.objects.create(
            event=event, subscription=subscription, attempts=2, **fields
        )
        for code in (500, 502):
            EventAttempt.objects.create(
                delivery=delivery, outcome=Outcome.STATUS, status_code=code, at=now
            )
        made.append(delivery)
    return made


def test_an_administrator_subscribes_a_system_and_sees_the_secret_once(login, admin, system):
    client = login(admin)
    response = client.post(
        reverse("events:create", args=[system.pk]),
        {"url": URL, "types": [EventType.REFERRAL_RECEIVED, EventType.CONSENT_WITHDRAWN]},
    )
    assert response.status_code == 200
    secret = response.context["issued"].secret
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    subscription = EventSubscription.objects.get()
    page = client.get(reverse("clients:detail", args=[system.pk])).content.decode()
    assert URL in page and "verwijzing ontvangen, toestemming ingetrokken" in page
    assert secret not in page
    assert secret not in client.get(log_url(subscription)).content.decode()


def test_a_bad_address_is_told_beside_the_field_and_kept(login, admin, system, settings):
    settings.EVENT_ALLOW_PRIVATE_ADDRESSES = False
    typed = "http://127.0.0.1:8000/ontvang"
    response = login(admin).post(
        reverse("events:create", args=[system.pk]),
        {"url": typed, "types": [EventType.REFERRAL_RECEIVED]},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["url"] == [
        "Het adres leidt naar een privé- of lokaal netwerk; alleen openbare adressen worden "
        "gebruikt."
    ]
    assert form["url"].value() == typed
    assert form["types"].value() == [EventType.REFERRAL_RECEIVED]
    assert typed in response.content.decode()
    assert not EventSubscription.objects.exists()


def test_no_event_chosen_is_told(login, admin, system):
    response = login(admin).post(reverse("events:create", args=[system.pk]), {"url": URL})
    assert response.context["form"].errors["types"] == [
        "Kies welke gebeurtenissen het systeem ontvangt."
    ]


def test_the_log_shows_the_latest_deliveries_in_a_query_count_that_does_not_grow(
    login, admin, subscription, django_assert_num_queries, django_assert_max_num_queries
):
    client = login(admin)
    deliveries(subscription, 1)
    client.get(reverse("start"))  # the first request stamps the session
    # session, user, actor, subscription, count, page of deliveries, their attempts and the
    # savepoint pair of the request's transaction, whatever the number of rows
    with django_assert_num_queries(9) as one:
        response = client.get(log_url(subscription))
    assert len(response.context["page"]) == 1
    deliveries(subscription, 40)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(log_url(subscription))
    assert len(response.context["page"]) == 25
    html = response.content.decode()
    assert "Opnieuw versturen" in html and "antwoordde met een fout" in html and "502" in html
    second = client.get(log_url(subscription), {"page": 2})
    assert len(second.context["page"]) == 16


def test_send_again_queues_a_failed_delivery_again(
    login, admin, subscription, django_capture_on_commit_callbacks
):
    [delivery] = deliveries(subscription, 1, failed_at=timezone.now())
    with django_capture_on_commit_callbacks() as queued:
        response = login(admin).post(
            reverse("events:resend", args=[subscription.client_id, subscription.pk, delivery.pk]),
            {"page": "2"},
        )
    assert response.status_code == 302
    assert response["Location"] == log_url(subscription) + "?page=2"
    delivery.refresh_from_db()
    assert delivery.failed_at is None and delivery.attempts == 0 and delivery.resent_at
    assert len(queued) == 1


def test_pause_and_resume(login, admin, subscription):
    client = login(admin)
    client.post(reverse("events:pause", args=[subscription.client_id, subscription.pk]))
    subscription.refresh_from_db()
    assert subscription.paused_at is not None
    assert "gepauzeerd" in client.get(log_url(subscription)).content.decode()
    client.post(reverse("events:resume", args=[subscription.client_id, subscription.pk]))
    subscription.refresh_from_db()
    assert subscription.paused_at is None


@pytest.mark.parametrize("cast", ["corporation_worker", "manager", "privacy_officer"])
def test_it_requires_the_administrator_role(login, request, cast, subscription):
    client = login(request.getfixturevalue(cast))
    assert client.get(log_url(subscription)).status_code == 403
    assert client.get(reverse("events:create", args=[subscription.client_id])).status_code == 403
    assert client.get(reverse("clients:detail", args=[subscription.client_id])).status_code == 403


def test_another_organisations_system_is_not_visible(
    login, outsider_admin, subscription, django_capture_on_commit_callbacks
):
    [delivery] = deliveries(subscription, 1, failed_at=timezone.now())
    client = login(outsider_admin)
    system = subscription.client_id
    assert client.get(reverse("clients:detail", args=[system])).status_code == 404
    assert client.get(reverse("events:create", args=[system])).status_code == 404
    assert client.get(log_url(subscription)).status_code == 404
    with django_capture_on_commit_callbacks() as queued:
        resend = reverse("events:resend", args=[system, subscription.pk, delivery.pk])
        assert client.post(resend).status_code == 404
        assert (
            client.post(reverse("events:pause", args=[system, subscription.pk])).status_code == 404
        )
    assert queued == []
    delivery.refresh_from_db()
    assert delivery.failed_at is not None


def test_a_subscription_is_found_only_under_its_own_system(login, admin, subscription, api_key):
    other, _key = api_key(admin.organisation, name="Ander systeem")
    response = login(admin).get(reverse("events:detail", args=[other.pk, subscription.pk]))
    assert response.status_code == 404


def test_wrong_methods_are_refused(login, admin, subscription):
    client = login(admin)
    args = [subscription.client_id, subscription.pk]
    assert client.post(log_url(subscription)).status_code == 405
    assert client.get(reverse("events:pause", args=args)).status_code == 405
    assert client.get(reverse("events:resume", args=args)).status_code == 405
    assert client.get(reverse("events:resend", args=[*args, 1])).status_code == 405
