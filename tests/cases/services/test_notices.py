"""Who hears what when a referral, a signal or a consent changes (cases.services.notices): the
intake or a named colleague, the sender, the assignee and the managers at a deadline, the shared
workers of the neighbourhood. Celery runs eagerly here."""

import datetime

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
from partners.kinds import text_of
from partners.models import Notification
from tests.factories import MembershipFactory, SignalFactory, agree, received

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def today():
    return timezone.localdate()


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
    assert text_of(update) == f"{intake.organisation.name}: verwijzing geaccepteerd"


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
