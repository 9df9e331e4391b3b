"""Household.objects: what visible_to gives a receiving organisation, the shared ids read first
(ADR 0012) and the emergency door (in_emergency_for)."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.access import bases as access_bases
from cases.models import EmergencyAccess, Household, Referral, Signal
from cases.services import joint_cases
from cases.services.consents import consent_withdraw
from cases.services.emergency import emergency_access_open
from cases.services.referrals import referral_accept, referral_complete, referral_decline
from tests.factories import MembershipFactory, SignalFactory, consent_given

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


# --- what the receiving organisation of a referral sees --------------------------------------


def visible(actor):
    return (
        set(Household.objects.visible_to(actor).values_list("pk", flat=True)),
        set(Signal.objects.visible_to(actor).values_list("pk", flat=True)),
    )


def test_the_receiver_sees_the_household_and_only_the_referred_signals(
    referral, welfare_worker, household, signal, lonely, care_worker
):
    other_signal = SignalFactory(household=household, category=lonely)
    assert visible(welfare_worker) == ({household.pk}, {signal.pk})
    assert other_signal.pk not in visible(welfare_worker)[1]
    assert visible(care_worker) == (set(), set()), "a third organisation sees nothing"


def test_access_lasts_for_a_period_after_completion(referral, welfare_worker, household, settings):
    referral_accept(actor=welfare_worker, referral=referral)
    referral_complete(actor=welfare_worker, referral=referral, outcome="geholpen")
    assert household.pk in visible(welfare_worker)[0]
    settings.REFERRAL_ACCESS_DAYS_AFTER_CLOSE = 30
    Referral.objects.filter(pk=referral.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert visible(welfare_worker) == (set(), set())


def test_a_withdrawn_consent_ends_access_at_once(
    referral, welfare_worker, corporation_worker, consent, household
):
    referral_accept(actor=welfare_worker, referral=referral)
    assert household.pk in visible(welfare_worker)[0]
    consent_withdraw(actor=corporation_worker, consent=consent, withdrawn_on=today())
    assert visible(welfare_worker) == (set(), set())


def test_a_declined_referral_shares_nothing(referral, welfare_worker):
    referral_decline(actor=welfare_worker, referral=referral, reason="Niet voor ons")
    assert visible(welfare_worker) == (set(), set())


# --- the shared ids read first ---------------------------------------------------------------


def test_shared_ids_first_give_the_same_households_and_signals_as_visible_to(
    corporation_worker,
    welfare_worker,
    care_worker,
    outsider,
    other_household,
    sent,
):
    for actor in (corporation_worker, welfare_worker, care_worker, outsider):
        plain = set(Household.objects.visible_to(actor))
        assert set(Household.objects.visible_to(actor, ids_first=True)) == plain
        seen = access_bases.visible_bases(actor=actor, households=Household.objects.all())
        assert set(seen) == {h.pk for h in plain}
        assert set(Signal.objects.visible_to(actor, ids_first=True)) == set(
            Signal.objects.visible_to(actor)
        )
    assert Household.objects.shared_ids(welfare_worker) == {sent["referral"].household_id}
    assert Household.objects.shared_bases(welfare_worker, among=[other_household.pk]) == {}


def test_a_shared_household_is_logged_on_the_basis_of_the_latest_referral_that_shares_it(
    welfare_worker,
    sent,
):
    from cases.models import Referral

    original = sent["referral"]
    home = original.household_id
    assert Household.objects.shared_bases(welfare_worker, among=[home]) == {home: "toestemming"}
    later = Referral.objects.get(pk=original.pk)
    later.pk, later.consent, later.legal_basis = None, None, "vroegsignalering"
    later.sent_at = original.sent_at + timedelta(hours=1)
    later.save()
    assert Household.objects.shared_bases(welfare_worker, among=[home]) == {
        home: "vroegsignalering"
    }
    assert access_bases.legal_bases_for(actor=welfare_worker, households=[later.household]) == {
        home: "vroegsignalering"
    }


def test_consent_through_a_joint_case_shares_on_consent_and_a_referral_comes_first(
    corporation_worker,
    care_worker,
    care,
    household,
    other_household,
    categories,
    sent,
):
    from cases.models import Referral

    home, elsewhere = household.pk, other_household.pk
    case = joint_cases.case_open(actor=corporation_worker, household=household)
    consent_given(corporation_worker, household, care, [categories[0]])
    joint_cases.case_add_participant(actor=corporation_worker, case=case, organisation=care)
    assert Household.objects.shared_bases(care_worker, among=[home, elsewhere]) == {
        home: "toestemming"
    }
    assert Household.objects.shared_bases(care_worker, among=[elsewhere]) == {}
    seen = access_bases.visible_bases(actor=care_worker, households=Household.objects.all())
    assert set(seen) == set(Household.objects.visible_to(care_worker).values_list("pk", flat=True))
    early = Referral.objects.get(pk=sent["referral"].pk)
    early.pk, early.to_organisation, early.consent = None, care, None
    early.legal_basis = "vroegsignalering"
    early.save()
    assert Household.objects.shared_bases(care_worker, among=[home]) == {home: "vroegsignalering"}


# --- emergency access: its own door for the window ---------------------------------------------


def test_emergency_access_does_not_open_visible_to_but_its_own_door_for_the_window(
    opened, corporation_worker, other_household, corporation
):
    colleague = MembershipFactory(organisation=corporation, role="medewerker")
    assert not Household.objects.visible_to(corporation_worker).filter(pk=other_household.pk)
    emergency = Household.objects.in_emergency_for
    assert list(emergency(corporation_worker)) == [other_household]
    assert not emergency(colleague).exists(), "not the colleagues"
    EmergencyAccess.objects.filter(pk=opened.pk).update(ends_at=timezone.now())
    assert not emergency(corporation_worker).exists(), "the window ended"


def test_the_same_person_acting_for_another_organisation_has_no_emergency_door(
    shared_worker, other_household, welfare
):
    emergency_access_open(
        actor=shared_worker, household=other_household, reason="Acute zorgen om de bewoner."
    )
    for_welfare = shared_worker.user.memberships.get(organisation=welfare)
    assert Household.objects.in_emergency_for(shared_worker).filter(pk=other_household.pk)
    assert not Household.objects.in_emergency_for(for_welfare).exists()
