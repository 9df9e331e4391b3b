"""Joint cases (casussen): who takes part and on which basis, the coordinator, the action plan,
notes, closing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cases.models import AccessLog, CaseNote, HouseholdEvent, JointCase
from cases.services import joint_cases as services
from cases.services.consents import consent_withdraw
from cases.services.referrals import referral_accept, referral_send
from tests.factories import (
    PRECONDITIONS,
    MembershipFactory,
    SignalCategoryFactory,
    SignalFactory,
    agree,
    consent_given,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Services called directly speak the message ids; the pages speak Dutch per request."""
    with translation.override("en"):
        yield


def today():
    return timezone.localdate()


def tomorrow():
    return today() + datetime.timedelta(days=1)


def participants(case):
    return set(case.participants.values_list("organisation__name", flat=True))


def test_the_corporation_opens_a_case_and_takes_part(case, corporation, household):
    assert case.is_open
    assert case.coordinator_organisation == corporation
    assert participants(case) == {corporation.name}
    event = HouseholdEvent.objects.get(household=household, kind="case_opened")
    assert event.data["case"] == case.pk
    assert event.organisation == corporation
    row = AccessLog.objects.get(object_type="cases.jointcase", action="create")
    assert (row.household, row.legal_basis) == (household, "eigen_huurder")


def test_a_partner_with_an_accepted_referral_opens_the_case_and_the_corporation_is_in_it(
    welfare_worker, household, welfare_referral, corporation, welfare
):
    case = services.case_open(actor=welfare_worker, household=household)
    assert participants(case) == {corporation.name, welfare.name}
    assert case.coordinator_organisation == welfare
    joined = case.participants.get(organisation=welfare)
    assert joined.via_referral == welfare_referral
    row = AccessLog.objects.get(object_type="cases.jointcase", action="create")
    assert (row.organisation, row.legal_basis) == (welfare, "toestemming")


def test_only_one_open_case_per_household(case, corporation_worker, household):
    with pytest.raises(ValidationError, match="open case"):
        services.case_open(actor=corporation_worker, household=household)


def test_a_participant_joins_through_an_accepted_referral(case, corporation_worker, welfare):
    joined = services.case_add_participant(
        actor=corporation_worker, case=case, organisation=welfare
    )
    assert joined.via_referral.status == "geaccepteerd"
    assert joined.via_consent is None
    event = HouseholdEvent.objects.get(kind="case_participant_added")
    assert (event.data["case"], event.data["participant"]) == (case.pk, welfare.name)
    assert AccessLog.objects.filter(object_type="cases.caseparticipant").count() == 1


def test_a_participant_joins_through_a_consent_in_force(
    case, corporation_worker, household, care, lonely
):
    consent = consent_given(corporation_worker, household, care, [lonely])
    joined = services.case_add_participant(actor=corporation_worker, case=case, organisation=care)
    assert (joined.via_consent, joined.via_referral) == (consent, None)


def test_without_a_basis_an_organisation_cannot_join(
    case, corporation_worker, household, care, lonely, corporation
):
    with pytest.raises(ValidationError) as error:
        services.case_add_participant(actor=corporation_worker, case=case, organisation=care)
    assert "organisation" in error.value.message_dict
    # A withdrawn consent is no basis.
    consent = consent_given(corporation_worker, household, care, [lonely])
    consent_withdraw(actor=corporation_worker, consent=consent, withdrawn_on=today())
    with pytest.raises(ValidationError):
        services.case_add_participant(actor=corporation_worker, case=case, organisation=care)
    assert participants(case) == {corporation.name}


def test_a_referral_only_sent_is_no_basis_until_it_is_accepted(
    case, corporation, corporation_worker, household, municipality
):
    arrears = SignalCategoryFactory(code="huurachterstand", name="Huurachterstand")
    agree(corporation, municipality, arrears)
    referral = referral_send(
        actor=corporation_worker,
        household=household,
        to_organisation=municipality,
        signals=[SignalFactory(household=household, category=arrears)],
        preconditions=PRECONDITIONS,
    )
    with pytest.raises(ValidationError):
        services.case_add_participant(
            actor=corporation_worker, case=case, organisation=municipality
        )
    municipal_worker = MembershipFactory(organisation=municipality, role="medewerker")
    referral_accept(actor=municipal_worker, referral=referral)
    joined = services.case_add_participant(
        actor=corporation_worker, case=case, organisation=municipality
    )
    assert (joined.via_referral, joined.via_referral.legal_basis) == (referral, "vroegsignalering")


def test_an_organisation_outside_the_case_cannot_act_on_it(case, outsider, welfare_worker):
    for actor in (outsider, welfare_worker):  # welfare has a basis but has not joined
        with pytest.raises(ValidationError, match="take part"):
            services.note_add(actor=actor, case=case, text="x", visibility="all")
    assert CaseNote.objects.count() == 0


def test_the_coordinator_must_come_from_a_participating_organisation(
    full_case, corporation_worker, welfare, welfare_worker, outsider, third_corporation
):
    with pytest.raises(ValidationError) as error:
        services.case_set_coordinator(
            actor=corporation_worker, case=full_case, organisation=third_corporation
        )
    assert "organisation" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.case_set_coordinator(
            actor=corporation_worker,
            case=full_case,
            organisation=welfare,
            coordinator=outsider.user,
        )
    assert "coordinator" in error.value.message_dict
    services.case_set_coordinator(
        actor=corporation_worker,
        case=full_case,
        organisation=welfare,
        coordinator=welfare_worker.user,
    )
    full_case.refresh_from_db()
    assert (full_case.coordinator_organisation, full_case.coordinator) == (
        welfare,
        welfare_worker.user,
    )
    assert HouseholdEvent.objects.filter(kind="case_coordinator_changed").count() == 1


def test_only_the_coordinating_organisation_hands_the_coordination_over(
    full_case, corporation, welfare, welfare_worker
):
    """Issue 15, item 7: a participant cannot make itself coordinator."""
    with pytest.raises(ValidationError, match="Only the coordinator"):
        services.case_set_coordinator(actor=welfare_worker, case=full_case, organisation=welfare)
    full_case.refresh_from_db()
    assert full_case.coordinator_organisation == corporation
    assert not HouseholdEvent.objects.filter(kind="case_coordinator_changed").exists()


def test_while_a_person_coordinates_only_they_or_their_administrator_hand_over(
    full_case, corporation, corporation_worker, admin, welfare
):
    services.case_set_coordinator(
        actor=corporation_worker,
        case=full_case,
        organisation=corporation,
        coordinator=corporation_worker.user,
    )
    colleague = MembershipFactory(organisation=corporation, role="medewerker")
    with pytest.raises(ValidationError, match="Only the coordinator"):
        services.case_set_coordinator(actor=colleague, case=full_case, organisation=welfare)
    services.case_set_coordinator(actor=admin, case=full_case, organisation=welfare)
    full_case.refresh_from_db()
    assert (full_case.coordinator_organisation, full_case.coordinator) == (welfare, None)
    assert HouseholdEvent.objects.filter(kind="case_coordinator_changed").count() == 2


@pytest.mark.parametrize("role", ["privacyfunctionaris", "beheerder", "manager"])
def test_only_a_worker_can_coordinate(full_case, corporation_worker, welfare, role):
    other = MembershipFactory(organisation=welfare, role=role)
    with pytest.raises(ValidationError) as error:
        services.case_set_coordinator(
            actor=corporation_worker, case=full_case, organisation=welfare, coordinator=other.user
        )
    assert "coordinator" in error.value.message_dict


def test_opening_with_a_coordinator_without_basis_is_refused(
    corporation_worker, household, care, welfare_referral
):
    with pytest.raises(ValidationError) as error:
        services.case_open(
            actor=corporation_worker, household=household, coordinator_organisation=care
        )
    assert "coordinator_organisation" in error.value.message_dict
    assert JointCase.objects.count() == 0


def test_the_action_plan(full_case, welfare_worker, welfare, care, care_worker, outsider):
    action = services.action_add(
        actor=welfare_worker,
        case=full_case,
        description="Huisbezoek samen met zorg",
        owner_organisation=care,
        owner_person=care_worker.user,
        due_on=tomorrow(),
    )
    assert (action.owner_organisation, action.done_at) == (care, None)
    with pytest.raises(ValidationError) as error:
        services.action_add(
            actor=welfare_worker,
            case=full_case,
            description=" ",
            owner_organisation=outsider.organisation,
            due_on=today() - datetime.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"description", "owner_organisation", "due_on"}
    with pytest.raises(ValidationError) as error:
        services.action_add(
            actor=welfare_worker,
            case=full_case,
            description="Bellen",
            owner_organisation=welfare,
            owner_person=care_worker.user,
            due_on=tomorrow(),
        )
    assert "owner_person" in error.value.message_dict
    services.action_done(actor=care_worker, action=action)
    action.refresh_from_db()
    assert action.done_by == care_worker.user
    with pytest.raises(ValidationError, match="already done"):
        services.action_done(actor=care_worker, action=action)
    kinds = list(
        HouseholdEvent.objects.filter(kind__startswith="case_action").values_list("kind", flat=True)
    )
    assert sorted(kinds) == ["case_action_added", "case_action_done"]
    assert AccessLog.objects.filter(object_type="cases.caseaction").count() == 2


def test_closing_needs_a_summary_and_the_coordinator(
    full_case, corporation_worker, welfare_worker, household
):
    with pytest.raises(ValidationError, match="coordinating"):
        services.case_close(actor=welfare_worker, case=full_case, summary="Klaar")
    with pytest.raises(ValidationError) as error:
        services.case_close(actor=corporation_worker, case=full_case, summary="  ")
    assert "summary" in error.value.message_dict
    services.case_close(
        actor=corporation_worker, case=full_case, summary="Huur betaald, hulp loopt"
    )
    full_case.refresh_from_db()
    assert (full_case.status, full_case.closed_by) == ("gesloten", corporation_worker.user)
    assert HouseholdEvent.objects.filter(kind="case_closed", data__case=full_case.pk).exists()
    with pytest.raises(ValidationError, match="closed"):
        services.note_add(actor=welfare_worker, case=full_case, text="Nog iets", visibility="all")
    # A closed case leaves room for a new one.
    assert services.case_open(actor=corporation_worker, household=household).is_open


def test_an_invalid_note_is_refused(case, corporation_worker):
    with pytest.raises(ValidationError) as error:
        services.note_add(actor=corporation_worker, case=case, text="", visibility="iedereen")
    assert set(error.value.message_dict) == {"text", "visibility"}
