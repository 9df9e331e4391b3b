"""Who hears what, through which channel, and the outbox's promise: written with the event,
delivered once. Celery runs eagerly here; tests/partners/test_notification_worker.py runs a real
worker against a real Redis."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.services import notices
from cases.services.consents import consent_record, consent_withdraw
from cases.services.referrals import (
    referral_accept,
    referral_assign,
    referral_send,
    referral_withdraw,
)
from cases.services.visits import SignalInput, home_visit_log
from cases.workdays import add_working_days
from partners import notifications
from partners.models import Membership, Notification, NotificationPreference
from tests.cases.test_referrals import agree
from tests.factories import MembershipFactory, SignalFactory

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def today():
    return timezone.localdate()


@pytest.fixture
def lonely(categories):
    return categories[0]


@pytest.fixture
def intake(welfare):
    """Welfare's intake: the one colleague marked as receiving referrals."""
    return MembershipFactory(
        organisation=welfare, role=Membership.Role.MEDEWERKER, receives_referrals=True
    )


@pytest.fixture
def welfare_manager(welfare):
    return MembershipFactory(organisation=welfare, role=Membership.Role.MANAGER)


@pytest.fixture
def send(corporation_worker, household, welfare, lonely, django_capture_on_commit_callbacks):
    """Send a referral on consent to welfare, committing so the delivery runs."""
    agree(corporation_worker.organisation, welfare, lonely)
    consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose="Ondersteuning bij eenzaamheid",
        categories=[lonely],
        given_how="mondeling",
        given_on=today(),
    )

    def _send(**extra):
        signal = SignalFactory(
            household=household, category=lonely, created_by=corporation_worker.user
        )
        with django_capture_on_commit_callbacks(execute=True):
            return referral_send(
                actor=corporation_worker,
                household=household,
                to_organisation=welfare,
                signals=[signal],
                **extra,
            )

    return _send


def received(user, kind=None):
    rows = Notification.objects.filter(recipient=user)
    return rows.filter(kind=kind) if kind else rows


# --- who hears what ---------------------------------------------------------------------------


def test_a_new_referral_reaches_the_intake_not_other_colleagues(send, intake, welfare_worker):
    referral = send()
    note = received(intake.user).get()
    assert (note.kind, note.organisation_id) == (Kind.REFERRAL_NEW, referral.to_organisation_id)
    assert note.url == reverse("referrals:detail", args=[referral.pk])
    assert not received(welfare_worker.user).exists()
    assert note.delivered_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [intake.user.email]


def test_without_intake_every_worker_hears(send, welfare_worker):
    send()
    assert received(welfare_worker.user, Kind.REFERRAL_NEW).count() == 1


def test_a_referral_to_a_named_colleague_reaches_only_them(send, intake, welfare_worker):
    send(to_person=welfare_worker.user)
    assert received(welfare_worker.user, Kind.REFERRAL_NEW).count() == 1
    assert not received(intake.user).exists()


def test_answers_reach_the_sender(
    send, intake, corporation_worker, django_capture_on_commit_callbacks
):
    referral = send()
    with django_capture_on_commit_callbacks(execute=True):
        referral_accept(actor=intake, referral=referral)
    update = received(corporation_worker.user, Kind.REFERRAL_UPDATE).get()
    assert update.data == {"partner": intake.organisation.name, "status": "geaccepteerd"}
    assert notifications.text_of(update) == f"{intake.organisation.name}: verwijzing geaccepteerd"


def test_a_withdrawal_reaches_the_receiver(send, intake, corporation_worker):
    referral = send()
    referral_withdraw(actor=corporation_worker, referral=referral)
    assert received(intake.user, Kind.REFERRAL_UPDATE).get().data["status"] == "ingetrokken"


def test_a_deadline_reminds_the_assignee_and_escalates_to_managers(
    send, intake, welfare_worker, welfare_manager, manager
):
    referral = send()
    referral_assign(actor=intake, referral=referral, user=welfare_worker.user)
    assert notices.deadlines_check(today=today()) == 0  # five working days to go
    eve = referral.deadline - datetime.timedelta(days=1)
    while add_working_days(eve, 1) != referral.deadline:
        eve -= datetime.timedelta(days=1)
    notices.deadlines_check(today=eve)
    assert received(welfare_worker.user, Kind.DEADLINE_NEAR).count() == 1
    assert not received(welfare_manager.user, Kind.DEADLINE_NEAR).exists()

    late = referral.deadline + datetime.timedelta(days=1)
    notices.deadlines_check(today=late)
    assert received(welfare_worker.user, Kind.DEADLINE_PASSED).count() == 1
    assert received(welfare_manager.user, Kind.DEADLINE_PASSED).count() == 1
    assert not received(manager.user, Kind.DEADLINE_PASSED).exists()  # the sender's manager

    # Hourly runs do not repeat themselves.
    assert notices.deadlines_check(today=late) == 0
    assert received(welfare_manager.user).count() == 1


def test_an_answered_referral_is_not_chased(send, intake, welfare_manager):
    referral = send()
    referral_accept(actor=intake, referral=referral)
    assert notices.deadlines_check(today=referral.deadline + datetime.timedelta(days=3)) == 0


def test_an_acute_signal_reaches_shared_workers_who_follow_the_neighbourhood(
    corporation_worker, shared_worker, household, lonely, care, django_capture_on_commit_callbacks
):
    shared_worker.neighbourhoods.set([household.neighbourhood])
    follower_not_shared = MembershipFactory(organisation=corporation_worker.organisation)
    follower_not_shared.neighbourhoods.set([household.neighbourhood])
    elsewhere = MembershipFactory(organisation=corporation_worker.organisation)
    MembershipFactory(user=elsewhere.user, organisation=care)  # shared, not following

    def visit(severity):
        with django_capture_on_commit_callbacks(execute=True):
            home_visit_log(
                actor=corporation_worker,
                household=household,
                visited_on=today(),
                kind="regulier",
                outcome="signalen",
                signals=[
                    SignalInput(category=lonely, severity=severity, description="Zag er slecht uit")
                ],
            )

    visit("hoog")
    assert not Notification.objects.exists()
    visit("acuut")
    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (shared_worker.user, Kind.SIGNAL_ACUTE)
    assert note.data == {"neighbourhood": household.neighbourhood.name}
    assert "Lindelaan" not in mail.outbox[0].body and "Anna" not in mail.outbox[0].body


def test_withdrawn_consent_reaches_the_organisation_that_loses_access(
    corporation_worker, household, welfare, lonely, intake, welfare_worker
):
    agree(corporation_worker.organisation, welfare, lonely)
    consent = consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose="Ondersteuning",
        categories=[lonely],
        given_how="mondeling",
        given_on=today(),
    )
    signal = SignalFactory(household=household, category=lonely)
    referral = referral_send(
        actor=corporation_worker, household=household, to_organisation=welfare, signals=[signal]
    )
    referral_assign(actor=intake, referral=referral, user=welfare_worker.user)
    Notification.objects.all().delete()
    consent_withdraw(actor=corporation_worker, consent=consent, withdrawn_on=today())
    heard = set(
        Notification.objects.filter(kind=Kind.CONSENT_WITHDRAWN).values_list("recipient", flat=True)
    )
    assert heard == {intake.user_id, welfare_worker.user_id}
    assert not Notification.objects.filter(recipient=corporation_worker.user).exists()


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
    notifications.preferences_save(user=welfare_manager.user, choices={Kind.DEADLINE_PASSED: "off"})
    referral = send()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notices.deadlines_check(today=referral.deadline + datetime.timedelta(days=1))
    note = received(welfare_manager.user, Kind.DEADLINE_PASSED).get()
    assert note.email == "direct"
    assert welfare_manager.user.email in [m.to[0] for m in mail.outbox]


def test_the_choices_page_offers_no_switch_for_escalations(login, welfare_manager):
    client = login(welfare_manager)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="referral_new"' in page
    assert 'name="deadline_passed"' not in page
    assert "Referral deadline passed" in page or "Termijn van een verwijzing verstreken" in page
    response = client.post(
        reverse("notifications:preferences"),
        {kind: "digest" for kind in notifications.CHOOSABLE} | {"deadline_passed": "off"},
    )
    assert response.status_code == 302
    chosen = dict(NotificationPreference.objects.values_list("kind", "email"))
    assert chosen["referral_new"] == "digest" and "deadline_passed" not in chosen


def test_a_wrong_choice_is_refused_next_to_the_field(login, welfare_manager):
    response = login(welfare_manager).post(
        reverse("notifications:preferences"), {"referral_new": "pigeon"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["referral_new"]
    assert not NotificationPreference.objects.exists()


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
    assert notifications.notification_deliver(notification_id=note.pk) is False
    assert len(mail.outbox) == 1


def test_the_sweep_queues_what_was_not_delivered(send, intake, settings):
    settings.NOTIFICATION_SWEEP_AFTER = 60
    send()
    note = received(intake.user).get()
    Notification.objects.filter(pk=note.pk).update(
        delivered_at=None, created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    mail.outbox.clear()
    assert notifications.notifications_sweep() == 1
    note.refresh_from_db()
    assert note.delivered_at is not None and len(mail.outbox) == 1
    assert notifications.notifications_sweep() == 0


def test_a_claimed_row_is_left_alone_until_its_claim_ends(send, intake, settings):
    send()
    note = received(intake.user).get()
    Notification.objects.filter(pk=note.pk).update(
        delivered_at=None,
        created_at=timezone.now() - datetime.timedelta(minutes=5),
        claimed_until=timezone.now() + datetime.timedelta(minutes=1),
    )
    assert notifications.notifications_sweep() == 0
    assert notifications.notification_deliver(notification_id=note.pk) is False


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
    assert notifications.notification_deliver(notification_id=note.pk) is False
    assert notifications.notifications_sweep() == 0
    # Its turn comes; the second failure waits twice as long.
    Notification.objects.filter(pk=note.pk).update(claimed_until=timezone.now())
    assert notifications.notifications_sweep() == 1
    note.refresh_from_db()
    assert note.attempts == 2
    assert note.claimed_until - timezone.now() > datetime.timedelta(seconds=110)
    # The mail server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=note.pk).update(claimed_until=timezone.now())
    assert notifications.notification_deliver(notification_id=note.pk) is True
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_a_notification_is_marked_failed(send, intake, settings):
    settings.EMAIL_BACKEND = "tests.partners.flaky_mail.FailingBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    send()
    note = received(intake.user).get()
    Notification.objects.filter(pk=note.pk).update(claimed_until=timezone.now())
    assert notifications.notification_deliver(notification_id=note.pk) is False
    note.refresh_from_db()
    assert (note.attempts, note.delivered_at, note.failed_at is not None) == (2, None, True)
    Notification.objects.filter(pk=note.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert notifications.notifications_sweep() == 0  # left for a person, never retried
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
        assert notifications.notifications_sweep() == 1  # queued
        assert notifications.notifications_sweep() == 0  # not again within two minutes
    finally:
        app.conf.task_always_eager, app.conf.broker_url = eager, url
        app._pool, app.amqp._producer_pool = None, None
    Notification.objects.filter(pk=note.pk).update(
        queued_at=timezone.now() - datetime.timedelta(minutes=3)
    )
    assert notifications.notifications_sweep() == 1  # still undelivered: once more


def test_the_email_survives_organisation_names_with_ampersands(send, intake, welfare, corporation):
    corporation.name = "Wonen & Zorg 't Gooi"
    corporation.save()
    send()
    assert mail.outbox[0].subject == "Inclusie: Nieuwe verwijzing van Wonen & Zorg 't Gooi"
    assert "Wonen & Zorg 't Gooi" in mail.outbox[0].body


def test_a_sender_who_left_is_replaced_by_the_intake(
    send, intake, corporation_worker, admin, django_capture_on_commit_callbacks
):
    referral = send()
    corporation_intake = MembershipFactory(
        organisation=corporation_worker.organisation, receives_referrals=True
    )
    corporation_worker.ended_at = timezone.now()
    corporation_worker.save()
    referral_accept(actor=intake, referral=referral)
    assert not received(corporation_worker.user, Kind.REFERRAL_UPDATE).exists()
    assert received(corporation_intake.user, Kind.REFERRAL_UPDATE).count() == 1


def test_reminders_cost_the_same_however_many_referrals_waited_before(
    send, intake, welfare_manager, django_assert_num_queries
):
    first = send()
    late = first.deadline + datetime.timedelta(days=1)
    notices.deadlines_check(today=late)
    with CaptureQueriesContext(connection) as few:
        assert notices.deadlines_check(today=late) == 0
    for _ in range(10):
        send()
    notices.deadlines_check(today=late)  # escalates the ten new ones, once
    with django_assert_num_queries(len(few.captured_queries)):
        assert notices.deadlines_check(today=late) == 0


# --- the daily digest ---------------------------------------------------------------------------


def test_the_shared_workers_digest_is_grouped_per_organisation(
    shared_worker, corporation, welfare, municipality
):
    user = shared_worker.user
    notifications.notify(
        recipients=[user],
        kind=Kind.REFERRAL_NEW,
        organisation=welfare,
        url="/verwijzingen/1/",
        data={"sender": corporation.name},
    )
    notifications.notify(
        recipients=[user],
        kind=Kind.CASE_NOTE,
        organisation=municipality,
        url="/casussen/1/",
        data={"author": welfare.name},
    )
    notifications.notify(
        recipients=[user],
        kind=Kind.SIGNAL_ACUTE,
        organisation=corporation,
        url="/huishoudens/1/",
        data={"neighbourhood": "De Akkers"},
    )
    mail.outbox.clear()
    assert notifications.digests_create() == 1
    assert notifications.digests_create() == 0  # run twice: nobody gets a mail twice
    for row in Notification.objects.filter(kind=Kind.DIGEST, delivered_at__isnull=True):
        notifications.notification_deliver(notification_id=row.pk)
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
    notifications.notify(
        recipients=[intake.user],
        kind=Kind.CASE_ACTION,
        organisation=intake.organisation,
        url="/casussen/1/",
        data={"owner": "x", "due": "2026-12-01"},
    )
    direct = notifications.notify(
        recipients=[intake.user],
        kind=Kind.SIGNAL_ACUTE,
        organisation=intake.organisation,
        url="/huishoudens/1/",
        data={"neighbourhood": "De Akkers"},
    )[0]
    assert notifications.digests_create() == 1
    digest = Notification.objects.get(kind=Kind.DIGEST)
    chosen = set(received(intake.user).filter(in_digest=True).values_list("pk", flat=True))
    assert set(digest.data["ids"]) == chosen and len(chosen) == 3  # two referrals, the action
    assert direct.pk not in digest.data["ids"]  # e-mailed at once, not in the digest


def test_nothing_new_means_no_digest_the_next_day(shared_worker, welfare):
    notifications.notify(
        recipients=[shared_worker.user],
        kind=Kind.REFERRAL_NEW,
        organisation=welfare,
        url="/verwijzingen/",
        data={"sender": "Woonstede"},
    )
    today = timezone.localdate()
    assert notifications.digests_create(on=today) == 1
    assert notifications.digests_create(on=today + datetime.timedelta(days=1)) == 0
    assert Notification.objects.filter(kind=Kind.DIGEST).count() == 1


# --- the pages: bell, list, open, read ------------------------------------------------------------


def test_the_bell_counts_unread_and_the_list_marks_read(login, send, intake):
    send()
    send()
    client = login(intake)
    bell = client.get(reverse("notifications:bell"))
    assert b'data-testid="bell-count">2' in bell.content
    note = received(intake.user).first()
    response = client.post(reverse("notifications:read", args=[note.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Trigger"] == "notifications-changed"
    assert b"Mark as read" not in response.content and b"Markeer" not in response.content
    assert b'data-testid="bell-count">1' in client.get(reverse("notifications:bell")).content
    response = client.post(reverse("notifications:read_all"), HTTP_HX_REQUEST="true")
    assert response["HX-Trigger"] == "notifications-changed"
    assert b"Markeer als gelezen" not in response.content
    assert b"bell-count" not in client.get(reverse("notifications:bell")).content


def test_opening_a_notification_acts_for_its_organisation(login, shared_worker, welfare, client):
    notifications.notify(
        recipients=[shared_worker.user],
        kind=Kind.REFERRAL_NEW,
        organisation=welfare,
        url=reverse("referrals:inbox"),
        data={"sender": "Woonstede"},
    )
    note = Notification.objects.get()
    login(shared_worker)  # acting for the corporation
    url = reverse("notifications:open", args=[note.pk])
    asked = client.get(url)  # a link alone switches nothing: the person confirms
    assert asked.status_code == 200 and welfare.name in asked.content.decode()
    assert client.get(reverse("start")).context["actor"] == shared_worker
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("referrals:inbox")
    assert client.get(reverse("referrals:inbox")).context["actor"].organisation == welfare
    note.refresh_from_db()
    assert note.read_at is not None


def test_another_persons_notification_is_not_found(login, send, intake, welfare_worker):
    send()
    note = received(intake.user).get()
    client = login(welfare_worker)
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[note.pk])).status_code == 404
    assert received(intake.user).get().read_at is None


def test_wrong_methods_and_anonymous_visitors(client, login, intake):
    assert client.get(reverse("notifications:list")).status_code == 302
    assert client.get(reverse("notifications:bell")).status_code == 302
    client = login(intake)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    assert client.post(reverse("notifications:bell")).status_code == 405


def test_the_list_has_a_constant_number_of_queries(login, intake, django_assert_num_queries):
    client = login(intake)

    def make(count):
        for _ in range(count):
            notifications.notify(
                recipients=[intake.user],
                kind=Kind.REFERRAL_NEW,
                organisation=intake.organisation,
                url="/verwijzingen/",
                data={"sender": "X"},
            )

    make(2)
    client.get(reverse("notifications:list"))  # the first request of a session saves it
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:list"))
    assert len(few.captured_queries) <= 7  # session, user, memberships, count, page, savepoint
    make(40)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("notifications:list"))
