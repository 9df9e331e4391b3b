"""Through which channel a notification goes, and the outbox's promise: written with the event,
delivered once, tried again later, gathered in a daily digest. Celery runs eagerly here;
tests/partners/test_notifications_worker.py runs a real worker against a real Redis."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.services import notices
from partners.models import Notification, NotificationPreference
from partners.services.notifications import (
    digests_create,
    notification_deliver,
    notifications_sweep,
    notify,
    preferences_save,
)
from tests.factories import received

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


# --- channels and choices ----------------------------------------------------------------------


def test_a_digest_choice_sends_no_mail_at_once(send, intake):
    NotificationPreference.objects.create(user=intake.user, kind=Kind.REFERRAL_NEW, email="digest")
    send()
    note = received(intake.user).get()
    assert (note.email, note.in_digest, note.delivered_at is not None) == ("digest", True, True)
    assert mail.outbox == []


def test_off_means_only_in_the_app(send, intake):
    NotificationPreference.objects.create(user=intake.user, kind=Kind.REFERRAL_NEW, email="off")
    send()
    assert received(intake.user).get().email == "off"
    assert mail.outbox == []


def test_escalations_cannot_be_switched_off(
    send, welfare_worker, welfare_manager, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=welfare_manager.user, kind=Kind.DEADLINE_PASSED, email="off"
    )
    preferences_save(user=welfare_manager.user, choices={Kind.DEADLINE_PASSED: "off"})
    referral = send()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notices.deadlines_check(today=referral.deadline + datetime.timedelta(days=1))
    note = received(welfare_manager.user, Kind.DEADLINE_PASSED).get()
    assert note.email == "direct"
    assert welfare_manager.user.email in [m.to[0] for m in mail.outbox]


def test_the_email_holds_no_personal_details(send, intake, household):
    send(message="Mevrouw Anna de Test heeft huurachterstand")
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        assert "Anna" not in text and "Lindelaan" not in text and "9901" not in text
    note = received(intake.user).get()
    assert reverse("notifications:open", args=[note.pk]) in message.body
    assert "verwijzing" in message.subject.lower()  # Dutch, whatever the reader's language


# --- delivery: once, and the sweep --------------------------------------------------------------


def test_a_second_delivery_does_nothing(send, intake):
    send()
    note = received(intake.user).get()
    assert notification_deliver(notification_id=note.pk) is False
    assert len(mail.outbox) == 1


def test_the_sweep_queues_what_was_not_delivered(send, intake, settings):
    settings.NOTIFICATION_SWEEP_AFTER = 60
    send()
    note = received(intake.user).get()
    Notification.objects.filter(pk=note.pk).update(
        delivered_at=None, created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    mail.outbox.clear()
    assert notifications_sweep() == 1
    note.refresh_from_db()
    assert note.delivered_at is not None and len(mail.outbox) == 1
    assert notifications_sweep() == 0


def test_a_claimed_row_is_left_alone_until_its_claim_ends(send, intake, settings):
    send()
    note = received(intake.user).get()
    Notification.objects.filter(pk=note.pk).update(
        delivered_at=None,
        created_at=timezone.now() - datetime.timedelta(minutes=5),
        claimed_until=timezone.now() + datetime.timedelta(minutes=1),
    )
    assert notifications_sweep() == 0
    assert notification_deliver(notification_id=note.pk) is False


def test_a_failing_mail_server_is_tried_again_later_backing_off(send, intake, settings):
    settings.EMAIL_BACKEND = "tests.partners.flaky_mail.FailingBackend"
    settings.NOTIFICATION_SWEEP_AFTER = 1
    send()
    note = received(intake.user).get()
    assert note.delivered_at is None and note.attempts == 1
    waits = note.claimed_until - timezone.now()
    assert datetime.timedelta(seconds=50) < waits <= datetime.timedelta(seconds=60)
    # Until its turn neither a task nor the sweep touches it, and it keeps no one else waiting.
    Notification.objects.filter(pk=note.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert notification_deliver(notification_id=note.pk) is False
    assert notifications_sweep() == 0
    # Its turn comes; the second failure waits twice as long.
    Notification.objects.filter(pk=note.pk).update(claimed_until=timezone.now())
    assert notifications_sweep() == 1
    note.refresh_from_db()
    assert note.attempts == 2
    assert note.claimed_until - timezone.now() > datetime.timedelta(seconds=110)
    # The mail server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=note.pk).update(claimed_until=timezone.now())
    assert notification_deliver(notification_id=note.pk) is True
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_a_notification_is_marked_failed(send, intake, settings):
    settings.EMAIL_BACKEND = "tests.partners.flaky_mail.FailingBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    send()
    note = received(intake.user).get()
    Notification.objects.filter(pk=note.pk).update(claimed_until=timezone.now())
    assert notification_deliver(notification_id=note.pk) is False
    note.refresh_from_db()
    assert (note.attempts, note.delivered_at, note.failed_at is not None) == (2, None, True)
    Notification.objects.filter(pk=note.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert notifications_sweep() == 0  # left for a person, never retried
    assert received(intake.user).get().read_at is None  # still under the bell


def test_the_sweep_does_not_queue_the_same_row_every_minute(send, intake, settings):
    settings.NOTIFICATION_SWEEP_AFTER = 120
    send()
    note = received(intake.user).get()
    Notification.objects.filter(pk=note.pk).update(
        delivered_at=None, created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    from inclusie.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # queued in memory, where no worker takes it
    app.conf.broker_url, url = "memory://", app.conf.broker_url
    app._pool, app.amqp._producer_pool = None, None
    try:
        assert notifications_sweep() == 1  # queued
        assert notifications_sweep() == 0  # not again within two minutes
    finally:
        app.conf.task_always_eager, app.conf.broker_url = eager, url
        app._pool, app.amqp._producer_pool = None, None
    Notification.objects.filter(pk=note.pk).update(
        queued_at=timezone.now() - datetime.timedelta(minutes=3)
    )
    assert notifications_sweep() == 1  # still undelivered: once more


def test_the_email_survives_organisation_names_with_ampersands(send, intake, welfare, corporation):
    corporation.name = "Wonen & Zorg 't Gooi"
    corporation.save()
    send()
    assert mail.outbox[0].subject == "Inclusie: Nieuwe verwijzing van Wonen & Zorg 't Gooi"
    assert "Wonen & Zorg 't Gooi" in mail.outbox[0].body


# --- the daily digest ---------------------------------------------------------------------------


def test_the_shared_workers_digest_is_grouped_per_organisation(
    shared_worker, corporation, welfare, municipality
):
    user = shared_worker.user
    notify(
        recipients=[user],
        kind=Kind.REFERRAL_NEW,
        organisation=welfare,
        url="/verwijzingen/1/",
        data={"sender": corporation.name},
    )
    notify(
        recipients=[user],
        kind=Kind.CASE_NOTE,
        organisation=municipality,
        url="/casussen/1/",
        data={"author": welfare.name},
    )
    notify(
        recipients=[user],
        kind=Kind.SIGNAL_ACUTE,
        organisation=corporation,
        url="/huishoudens/1/",
        data={"neighbourhood": "De Akkers"},
    )
    mail.outbox.clear()
    assert digests_create() == 1
    assert digests_create() == 0  # run twice: nobody gets a mail twice
    for row in Notification.objects.filter(kind=Kind.DIGEST, delivered_at__isnull=True):
        notification_deliver(notification_id=row.pk)
    digest = [m for m in mail.outbox if "samenvatting" in m.subject.lower()]
    assert len(digest) == 1
    body = digest[0].body
    sections = dict((part.split(" ==", 1)[0], part) for part in body.split("\n== ")[1:])
    names = sorted(org.name for org in (corporation, municipality, welfare))
    assert list(sections) == names  # one heading per organisation, in name order
    assert "De Akkers" in sections[corporation.name]
    assert "Woonstichting" in sections[welfare.name]  # the referral from the corporation
    assert len(re.findall(r"/meldingen/\d+/", body)) == 3


def test_a_digest_holds_only_what_was_chosen_for_it(send, intake):
    NotificationPreference.objects.create(user=intake.user, kind=Kind.REFERRAL_NEW, email="digest")
    send()
    send()
    notify(
        recipients=[intake.user],
        kind=Kind.CASE_ACTION,
        organisation=intake.organisation,
        url="/casussen/1/",
        data={"owner": "x", "due": "2026-12-01"},
    )
    direct = notify(
        recipients=[intake.user],
        kind=Kind.SIGNAL_ACUTE,
        organisation=intake.organisation,
        url="/huishoudens/1/",
        data={"neighbourhood": "De Akkers"},
    )[0]
    assert digests_create() == 1
    digest = Notification.objects.get(kind=Kind.DIGEST)
    chosen = set(received(intake.user).filter(in_digest=True).values_list("pk", flat=True))
    assert set(digest.data["ids"]) == chosen and len(chosen) == 3  # two referrals, the action
    assert direct.pk not in digest.data["ids"]  # e-mailed at once, not in the digest


def test_nothing_new_means_no_digest_the_next_day(shared_worker, welfare):
    notify(
        recipients=[shared_worker.user],
        kind=Kind.REFERRAL_NEW,
        organisation=welfare,
        url="/verwijzingen/",
        data={"sender": "Woonstede"},
    )
    today = timezone.localdate()
    assert digests_create(on=today) == 1
    assert digests_create(on=today + datetime.timedelta(days=1)) == 0
    assert Notification.objects.filter(kind=Kind.DIGEST).count() == 1
