"""Joint cases (casussen): who takes part and on which basis, the coordinator, the action plan,
notes per visibility, closing, the merged timeline, the access log and the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import (
    AccessLog,
    CaseAction,
    CaseNote,
    CaseParticipant,
    HouseholdEvent,
    JointCase,
)
from cases.selectors import joint_cases as selectors
from cases.services import joint_cases as services
from cases.services.consents import consent_record, consent_withdraw
from cases.services.referrals import referral_accept, referral_send
from tests.cases.test_referrals import PRECONDITIONS, agree
from tests.factories import MembershipFactory, SignalCategoryFactory, SignalFactory

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


def _consent(corporation_worker, household, organisation, category):
    return consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=organisation,
        purpose="Samen ondersteunen",
        categories=[category],
        given_how="schriftelijk",
        given_on=today(),
    )


def _accepted_referral(corporation_worker, household, organisation, worker, category):
    signal = SignalFactory(household=household, category=category)
    referral = referral_send(
        actor=corporation_worker,
        household=household,
        to_organisation=organisation,
        signals=[signal],
    )
    return referral_accept(actor=worker, referral=referral)


@pytest.fixture
def lonely(categories):
    return categories[0]


@pytest.fixture
def welfare_referral(corporation, welfare, corporation_worker, welfare_worker, household, lonely):
    agree(corporation, welfare, lonely)
    _consent(corporation_worker, household, welfare, lonely)
    return _accepted_referral(corporation_worker, household, welfare, welfare_worker, lonely)


@pytest.fixture
def care_referral(corporation, care, corporation_worker, care_worker, household, lonely):
    agree(corporation, care, lonely)
    _consent(corporation_worker, household, care, lonely)
    return _accepted_referral(corporation_worker, household, care, care_worker, lonely)


@pytest.fixture
def case(corporation_worker, household, welfare_referral):
    return services.case_open(actor=corporation_worker, household=household)


@pytest.fixture
def full_case(case, corporation_worker, care, care_referral, welfare):
    """Corporation, welfare (referral) and care (referral) take part."""
    services.case_add_participant(actor=corporation_worker, case=case, organisation=welfare)
    services.case_add_participant(actor=corporation_worker, case=case, organisation=care)
    return case


def participants(case):
    return set(case.participants.values_list("organisation__name", flat=True))


# --- services --------------------------------------------------------------------------------


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
    consent = _consent(corporation_worker, household, care, lonely)
    joined = services.case_add_participant(actor=corporation_worker, case=case, organisation=care)
    assert (joined.via_consent, joined.via_referral) == (consent, None)


def test_without_a_basis_an_organisation_cannot_join(
    case, corporation_worker, household, care, lonely, corporation
):
    with pytest.raises(ValidationError) as error:
        services.case_add_participant(actor=corporation_worker, case=case, organisation=care)
    assert "organisation" in error.value.message_dict
    # A withdrawn consent is no basis.
    consent = _consent(corporation_worker, household, care, lonely)
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


# --- notes: who reads what -------------------------------------------------------------------


@pytest.mark.parametrize("writer", ["corporation_worker", "welfare_worker", "care_worker"])
def test_notes_visibility_matrix(full_case, request, writer):
    cast = {
        name: request.getfixturevalue(name)
        for name in ("corporation_worker", "welfare_worker", "care_worker")
    }
    author = cast[writer]
    own = services.note_add(actor=author, case=full_case, text="Alleen voor ons", visibility="own")
    everyone = services.note_add(
        actor=author, case=full_case, text="Voor iedereen", visibility="all"
    )
    assert AccessLog.objects.filter(object_type="cases.casenote", action="create").count() == 2
    for name, reader in cast.items():
        notes = selectors.case_notes(actor=reader, case=full_case)
        texts = {item.text for item in selectors.case_timeline(actor=reader, case=full_case)}
        if name == writer:
            assert set(notes) == {own, everyone}
            assert {"Alleen voor ons", "Voor iedereen"} <= texts
        else:
            assert notes == [everyone], name
            assert "Voor iedereen" in texts and "Alleen voor ons" not in texts, name
    # The history says a note was added, never what it says.
    for event in HouseholdEvent.objects.filter(kind="case_note_added"):
        assert "Alleen" not in str(event.data)


def test_an_invalid_note_is_refused(case, corporation_worker):
    with pytest.raises(ValidationError) as error:
        services.note_add(actor=corporation_worker, case=case, text="", visibility="iedereen")
    assert set(error.value.message_dict) == {"text", "visibility"}


# --- reads: visible_to, timeline, access log -------------------------------------------------


def test_visible_to_participants_only_while_they_see_the_household(
    full_case, corporation_worker, welfare_worker, care_worker, outsider, welfare_referral
):
    for actor in (corporation_worker, welfare_worker, care_worker):
        assert list(JointCase.objects.visible_to(actor)) == [full_case]
    assert not JointCase.objects.visible_to(outsider).exists()
    assert not JointCase.objects.visible_to(None).exists()
    # Welfare's consent withdrawn: its referral no longer shares the household, nor the case.
    consent_withdraw(
        actor=corporation_worker, consent=welfare_referral.consent, withdrawn_on=today()
    )
    assert not JointCase.objects.visible_to(welfare_worker).exists()
    assert JointCase.objects.visible_to(care_worker).exists()


def test_the_timeline_merges_the_participants_events_with_their_organisation(
    full_case, corporation, welfare, care, welfare_worker, care_worker, household, lonely
):
    services.action_add(
        actor=welfare_worker,
        case=full_case,
        description="Budgetcoach zoeken",
        owner_organisation=welfare,
        due_on=tomorrow(),
    )
    services.note_add(actor=care_worker, case=full_case, text="Zorg is gestart", visibility="all")
    # Not in the case's timeline: a signal of the corporation's own.
    SignalFactory(household=household, category=lonely)
    items = selectors.case_timeline(actor=care_worker, case=full_case)
    pairs = {(item.label, item.organisation) for item in items}
    assert ("joint case opened", corporation.name) in pairs
    assert ("referral accepted", welfare.name) in pairs
    assert ("referral accepted", care.name) in pairs
    assert ("action added to the plan", welfare.name) in pairs
    assert ("case note added", care.name) in pairs
    assert all(item.organisation for item in items)
    assert not {item.event.kind for item in items if item.event} & {
        "signal_opened",
        "signal_status_changed",
        "consent_recorded",
        "case_note_added",
    }
    assert [item.at for item in items] == sorted((item.at for item in items), reverse=True)


def test_reads_write_the_access_log(full_case, welfare_worker, welfare, household, outsider):
    before = AccessLog.objects.count()
    selectors.case_list(actor=welfare_worker)
    row = AccessLog.objects.latest("id")
    assert (row.action, row.household, row.legal_basis) == ("search", household, "toestemming")
    assert row.detail == {"joint_cases": "open"}
    selectors.case_page(actor=welfare_worker, pk=full_case.pk)
    row = AccessLog.objects.latest("id")
    assert (row.action, row.household, row.organisation, row.object_type) == (
        "view",
        household,
        welfare,
        "cases.jointcase",
    )
    assert AccessLog.objects.count() == before + 2
    selectors.case_list(actor=outsider)
    assert AccessLog.objects.latest("id").legal_basis == "geen"


# --- pages -----------------------------------------------------------------------------------


def detail(case):
    return reverse("joint_cases:detail", args=[case.pk])


def test_workers_of_participants_see_the_list_and_the_case(
    login, full_case, corporation_worker, welfare_worker, care_worker
):
    for worker in (corporation_worker, welfare_worker, care_worker):
        client = login(worker)
        response = client.get(reverse("joint_cases:list"))
        assert response.status_code == 200
        assert full_case.household.street in response.content.decode()
        response = client.get(detail(full_case))
        assert response.status_code == 200
        assert AccessLog.objects.filter(
            user=worker.user, action="view", object_type="cases.jointcase"
        ).exists()


def test_a_third_organisation_gets_404(login, full_case, outsider, household):
    client = login(outsider)
    assert client.get(detail(full_case)).status_code == 404
    assert client.post(reverse("joint_cases:note", args=[full_case.pk])).status_code == 404
    assert client.get(reverse("joint_cases:open", args=[household.pk])).status_code == 404
    assert (
        full_case.household.street not in client.get(reverse("joint_cases:list")).content.decode()
    )


def test_a_partner_that_has_not_joined_gets_404(login, case, welfare_worker):
    assert login(welfare_worker).get(detail(case)).status_code == 404


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_other_roles_get_403(login, full_case, request, role):
    client = login(request.getfixturevalue(role))
    assert client.get(reverse("joint_cases:list")).status_code == 403
    assert client.get(detail(full_case)).status_code == 403
    assert client.post(reverse("joint_cases:close", args=[full_case.pk])).status_code == 403


def test_wrong_methods_get_405(login, full_case, corporation_worker):
    client = login(corporation_worker)
    assert client.post(reverse("joint_cases:list")).status_code == 405
    assert client.post(detail(full_case)).status_code == 405
    for name in ("note", "action", "participant", "coordinator", "close"):
        assert client.get(reverse(f"joint_cases:{name}", args=[full_case.pk])).status_code == 405


def test_opening_from_the_household(
    login, corporation_worker, household, welfare_referral, welfare
):
    client = login(corporation_worker)
    url = reverse("joint_cases:open", args=[household.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert welfare.name in response.content.decode()
    response = client.post(url, {"coordinator_organisation": welfare.pk})
    case = JointCase.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(case)
    assert case.coordinator_organisation == welfare
    # A second opening says why and goes nowhere.
    response = client.post(url, {"coordinator_organisation": welfare.pk})
    assert response.status_code == 200
    assert JointCase.objects.count() == 1


def test_the_actions_through_the_pages(
    login, full_case, welfare_worker, welfare, care, corporation_worker
):
    client = login(welfare_worker)
    response = client.post(
        reverse("joint_cases:note", args=[full_case.pk]),
        {"text": "Gesprek gehad", "visibility": "all"},
    )
    assert response.status_code == 302
    assert CaseNote.objects.get().organisation == welfare
    response = client.post(
        reverse("joint_cases:action", args=[full_case.pk]),
        {
            "description": "Aanmelden schuldhulp",
            "owner_organisation": care.pk,
            "due_on": tomorrow(),
        },
    )
    assert response.status_code == 302
    action = CaseAction.objects.get()
    response = client.post(reverse("joint_cases:action_done", args=[full_case.pk, action.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.is_done
    response = client.post(
        reverse("joint_cases:coordinator", args=[full_case.pk]), {"organisation": welfare.pk}
    )
    assert response.status_code == 302
    response = client.post(reverse("joint_cases:close", args=[full_case.pk]), {"summary": "Rond"})
    assert response.status_code == 302
    full_case.refresh_from_db()
    assert full_case.status == "gesloten"


def test_bad_input_says_why_next_to_the_field_and_keeps_what_was_typed(
    login, full_case, corporation_worker, outsider, care
):
    client = login(corporation_worker)
    response = client.post(
        reverse("joint_cases:action", args=[full_case.pk]),
        {
            "description": "Typwerk dat blijft",
            "owner_organisation": care.pk,
            "due_on": (today() - datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Typwerk dat blijft" in page
    assert "is-invalid" in page
    assert CaseAction.objects.count() == 0
    response = client.post(reverse("joint_cases:close", args=[full_case.pk]), {"summary": ""})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    response = client.post(
        reverse("joint_cases:note", args=[full_case.pk]), {"text": "Bewaar dit", "visibility": "x"}
    )
    assert response.status_code == 200
    assert "Bewaar dit" in response.content.decode()
    assert CaseParticipant.objects.filter(case=full_case).count() == 3


def test_a_participant_on_consent_sees_the_case_until_the_consent_is_withdrawn(
    case, corporation_worker, household, care, care_worker, lonely
):
    from cases.access.log import log_access
    from cases.models import Household, JointCase

    consent = _consent(corporation_worker, household, care, lonely)
    services.case_add_participant(actor=corporation_worker, case=case, organisation=care)
    assert Household.objects.visible_to(care_worker).filter(pk=household.pk).exists()
    assert JointCase.objects.visible_to(care_worker).filter(pk=case.pk).exists()
    row = log_access(actor=care_worker, action="view", household=household, obj=case)
    assert row.legal_basis == "toestemming"
    consent_withdraw(actor=corporation_worker, consent=consent, withdrawn_on=today())
    assert not Household.objects.visible_to(care_worker).filter(pk=household.pk).exists()
    assert not JointCase.objects.visible_to(care_worker).filter(pk=case.pk).exists()
