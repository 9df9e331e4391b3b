"""Referring onward (ADR 0023): a partner that accepted a referral passes on its signals, and
only those, to a partner the household consented to; the new referral names the one it came
from, is in the history and the access log, and tells the receiver like any referral."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import AccessLog, Household, HouseholdEvent, Referral, Signal
from cases.services.referrals import (
    referral_accept,
    referral_decline,
    referral_send,
    referral_send_onward,
)
from partners.models import Notification
from tests.factories import SignalFactory, agree, consent_given, received

pytestmark = pytest.mark.django_db


def onward(actor, via, to, **extra):
    return referral_send_onward(
        actor=actor, via=via, to_organisation=to, signals=list(via.signals.all()), **extra
    )


def test_a_partner_that_accepted_a_referral_refers_onward(
    onward_ready, welfare_worker, care, care_worker, household, django_capture_on_commit_callbacks
):
    hidden = SignalFactory(household=household, description="Alleen voor de corporatie")
    with django_capture_on_commit_callbacks(execute=True):
        referral = onward(welfare_worker, onward_ready, care, message="Graag een zorgintake")
    assert (referral.via_referral, referral.from_organisation, referral.to_organisation) == (
        onward_ready,
        welfare_worker.organisation,
        care,
    )
    assert referral.legal_basis == "toestemming"
    assert referral.consent.receiving_organisation == care
    assert set(referral.signals.all()) == set(onward_ready.signals.all())

    event = HouseholdEvent.objects.get(kind="referral_sent_onward")
    assert (event.organisation, event.referral, event.data["via"]) == (
        welfare_worker.organisation,
        referral,
        onward_ready.pk,
    )
    row = AccessLog.objects.get(
        action="create", object_type="cases.referral", object_id=str(referral.pk)
    )
    assert (row.organisation, row.household, row.detail) == (
        welfare_worker.organisation,
        household,
        {"via_referral": onward_ready.pk},
    )
    note = received(care_worker.user, Notification.Kind.REFERRAL_NEW).get()
    assert note.url == reverse("referrals:detail", args=[referral.pk])

    # Care sees the household and the signals passed on to it; nothing the corporation alone holds.
    assert Household.objects.visible_to(care_worker).filter(pk=household.pk).exists()
    seen = set(Signal.objects.visible_to(care_worker).filter(household=household))
    assert seen == set(onward_ready.signals.all())
    assert hidden not in seen


def test_only_the_signals_of_the_accepted_referral_go_onward(
    onward_ready, welfare_worker, care, household, lonely
):
    other = SignalFactory(household=household, category=lonely)
    with pytest.raises(ValidationError, match="signalen van de verwijzing|signals of the referral"):
        referral_send_onward(
            actor=welfare_worker, via=onward_ready, to_organisation=care, signals=[other]
        )
    with pytest.raises(ValidationError):
        referral_send_onward(
            actor=welfare_worker, via=onward_ready, to_organisation=care, signals=[]
        )
    assert not Referral.objects.filter(via_referral=onward_ready).exists()


def test_a_partner_that_declined_or_only_received_or_never_had_it_cannot(
    corporation,
    corporation_worker,
    welfare,
    welfare_worker,
    care,
    care_worker,
    household,
    lonely,
):
    agree(corporation, welfare, lonely)
    agree(welfare, care, lonely)
    consent_given(corporation_worker, household, welfare, [lonely])
    consent_given(corporation_worker, household, care, [lonely])

    def sent():
        return referral_send(
            actor=corporation_worker,
            household=household,
            to_organisation=welfare,
            signals=[SignalFactory(household=household, category=lonely)],
        )

    only_sent = sent()
    declined = referral_decline(actor=welfare_worker, referral=sent(), reason="Wachtlijst")
    for actor, via in [
        (welfare_worker, only_sent),  # not accepted (yet)
        (welfare_worker, declined),  # declined
        (care_worker, only_sent),  # never had it
        (corporation_worker, only_sent),  # the corporation refers with its own referrals
    ]:
        with pytest.raises(ValidationError, match="geaccepteerd|accepted"):
            onward(actor, via, care if actor != care_worker else welfare)
    assert not Referral.objects.filter(via_referral__isnull=False).exists()


def test_the_household_must_have_consented_to_the_next_partner(
    welfare_referral, welfare, welfare_worker, care, lonely, corporation
):
    agree(welfare, care, lonely)
    with pytest.raises(ValidationError) as error:
        onward(welfare_worker, welfare_referral, care)
    assert care.name in str(error.value) and corporation.name in str(error.value)


def test_not_back_to_the_corporation_and_not_to_itself(
    onward_ready, welfare_worker, corporation, lonely
):
    agree(welfare_worker.organisation, corporation, lonely)
    with pytest.raises(ValidationError, match="corporatie|corporation"):
        onward(welfare_worker, onward_ready, corporation)
    with pytest.raises(ValidationError):
        onward(welfare_worker, onward_ready, welfare_worker.organisation)


def test_a_partner_cannot_send_a_referral_of_its_own(
    welfare_referral, welfare_worker, care, household, lonely
):
    """Only the corporation refers with referral_send: a partner that sees the household would
    otherwise pass on signals it does not see, or use the landlord's route without consent."""
    agree(welfare_worker.organisation, care, lonely)
    with pytest.raises(ValidationError, match="verwijst .* door|onward"):
        referral_send(
            actor=welfare_worker,
            household=household,
            to_organisation=care,
            signals=[SignalFactory(household=household, category=lonely)],
        )


def test_the_signals_stay_referred_while_a_referral_of_the_chain_is_open(
    onward_ready, welfare_worker, care_worker, care
):
    referral = onward(welfare_worker, onward_ready, care)
    signal = referral.signals.get()
    assert signal.status == "doorverwezen"
    referral_decline(actor=care_worker, referral=referral, reason="Geen indicatie")
    signal.refresh_from_db()
    assert signal.status == "doorverwezen", "welfare's referral still holds it"
    again = onward(welfare_worker, onward_ready, care)
    referral_accept(actor=care_worker, referral=again)
    assert again.via_referral == onward_ready
