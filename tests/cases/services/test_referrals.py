"""Referrals between organisations: agreement, legal basis, workflow, and the race of two
people accepting at once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from cases.models import AccessLog, HouseholdEvent, Referral
from cases.services.consents import consent_withdraw
from cases.services.referrals import (
    referral_accept,
    referral_complete,
    referral_decline,
    referral_send,
    referral_withdraw,
)
from cases.workdays import add_working_days
from tests.factories import PRECONDITIONS, MembershipFactory, SignalFactory, agree

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def test_a_referral_on_consent(referral, signal, household, agreement, consent):
    assert referral.status == "verzonden"
    assert (referral.legal_basis, referral.consent, referral.agreement) == (
        "toestemming",
        consent,
        agreement,
    )
    assert referral.deadline == add_working_days(today(), 5)
    signal.refresh_from_db()
    assert signal.status == "doorverwezen"
    kinds = set(HouseholdEvent.objects.filter(household=household).values_list("kind", flat=True))
    assert {"consent_recorded", "referral_sent", "signal_status_changed"} <= kinds
    assert AccessLog.objects.filter(action="create", object_type="cases.referral").count() == 1


def test_no_agreement_is_refused_with_the_reason(corporation_worker, household, care, signal, db):
    with pytest.raises(ValidationError, match="samenwerkingsafspraak|agreement"):
        referral_send(
            actor=corporation_worker, household=household, to_organisation=care, signals=[signal]
        )
    assert Referral.objects.count() == 0


def test_a_category_outside_the_agreement_is_refused(
    corporation_worker, household, welfare, agreement, categories
):
    other = SignalFactory(household=household, category=categories[2])
    with pytest.raises(ValidationError) as error:
        referral_send(
            actor=corporation_worker, household=household, to_organisation=welfare, signals=[other]
        )
    assert categories[2].name in str(error.value)


def test_without_consent_it_is_refused(corporation_worker, household, welfare, signal, agreement):
    with pytest.raises(ValidationError, match="toestemming|consent"):
        referral_send(
            actor=corporation_worker, household=household, to_organisation=welfare, signals=[signal]
        )
    signal.refresh_from_db()
    assert signal.status == "open"


def test_vroegsignalering_only_for_arrears_to_a_municipality_with_every_precondition(
    corporation_worker, corporation, household, welfare, municipality, arrears, lonely, agreement
):
    agree(corporation, municipality, arrears, lonely)
    debt = SignalFactory(household=household, category=arrears)
    alone = SignalFactory(household=household, category=lonely)

    def send(to, signals, preconditions):
        return referral_send(
            actor=corporation_worker,
            household=household,
            to_organisation=to,
            signals=signals,
            preconditions=preconditions,
        )

    with pytest.raises(ValidationError):
        send(municipality, [alone], PRECONDITIONS)  # not arrears
    with pytest.raises(ValidationError):
        send(welfare, [debt], PRECONDITIONS)  # not a municipality
    with pytest.raises(ValidationError):
        send(municipality, [debt], {**PRECONDITIONS, "no_objection": False})
    referral = send(municipality, [debt], PRECONDITIONS)
    assert referral.legal_basis == "vroegsignalering"
    assert referral.preconditions == PRECONDITIONS


def test_accept_then_complete_closes_the_loop(referral, welfare_worker, signal):
    referral_accept(actor=welfare_worker, referral=referral)
    referral.refresh_from_db()
    assert (referral.status, referral.assigned_to) == ("geaccepteerd", welfare_worker.user)
    with pytest.raises(ValidationError):
        referral_complete(actor=welfare_worker, referral=referral, outcome="")
    referral_complete(
        actor=welfare_worker, referral=referral, outcome="geholpen", note="Gaat naar de soos"
    )
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("afgerond", "geholpen")
    signal.refresh_from_db()
    assert signal.status == "in_behandeling", "back to the sender's decision"


def test_declining_needs_a_reason(referral, welfare_worker, signal):
    with pytest.raises(ValidationError):
        referral_decline(actor=welfare_worker, referral=referral, reason=" ")
    referral_decline(actor=welfare_worker, referral=referral, reason="Geen capaciteit")
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("afgewezen", "Geen capaciteit")
    signal.refresh_from_db()
    assert signal.status == "in_behandeling"


def test_only_the_sender_withdraws_and_not_after_completion(
    referral, corporation_worker, welfare_worker
):
    with pytest.raises(ValidationError):
        referral_withdraw(actor=welfare_worker, referral=referral)
    referral_withdraw(actor=corporation_worker, referral=referral)
    referral.refresh_from_db()
    assert referral.status == "ingetrokken"
    with pytest.raises(ValidationError):
        referral_accept(actor=welfare_worker, referral=referral)


def test_only_the_receiver_accepts(referral, care_worker, corporation_worker):
    for actor in (care_worker, corporation_worker):
        with pytest.raises(ValidationError):
            referral_accept(actor=actor, referral=referral)


def test_accepting_after_consent_was_withdrawn_is_refused(
    referral, consent, corporation_worker, welfare_worker
):
    consent_withdraw(actor=corporation_worker, consent=consent, withdrawn_on=today())
    with pytest.raises(ValidationError, match="toestemming|consent"):
        referral_accept(actor=welfare_worker, referral=referral)


def test_accepting_twice_says_who_accepted(referral, welfare_worker, welfare):
    colleague = MembershipFactory(organisation=welfare, user__name="Karin Collega")
    referral_accept(actor=colleague, referral=referral)
    with pytest.raises(ValidationError, match="Karin Collega"):
        referral_accept(actor=welfare_worker, referral=referral)


# --- the race: two people accept the same referral at the same moment ----------------------------


@pytest.mark.django_db(transaction=True)
def test_two_people_accepting_at_once_exactly_one_wins(
    corporation_worker, household, welfare, lonely, arrears, consent, agreement
):
    first = MembershipFactory(organisation=welfare, user__name="Eerste")
    second = MembershipFactory(organisation=welfare, user__name="Tweede")
    for _round in range(50):
        signal = SignalFactory(household=household, category=lonely)
        referral = referral_send(
            actor=corporation_worker, household=household, to_organisation=welfare, signals=[signal]
        )
        barrier = threading.Barrier(2)
        results = {}

        def accept(actor, referral=referral, barrier=barrier, results=results):
            try:
                barrier.wait()
                referral_accept(actor=actor, referral=referral)
                results[actor.user.name] = "won"
            except ValidationError as error:
                results[actor.user.name] = " ".join(error.messages)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                results[actor.user.name] = repr(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=accept, args=(m,)) for m in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        winners = [name for name, result in results.items() if result == "won"]
        assert len(winners) == 1, results
        loser = next(result for result in results.values() if result != "won")
        assert winners[0] in loser, "the other is told who accepted it"
        referral.refresh_from_db()
        assert referral.responded_by.name == winners[0]
