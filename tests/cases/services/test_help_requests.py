"""Requests for informal help (ADR 0033): made from an open signal or an open joint-case action
of that household only, with the household's consent; refused for an erased or merged
household and for anyone but a worker; closing ends the live matches. History and access-log
rows are written once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import AccessLog, HelperEvent, HouseholdEvent
from cases.services.help_requests import help_request_close, help_request_create
from cases.services.joint_cases import action_add, case_open
from cases.workflow import HelpRequestStatus, MatchStatus
from tests.factories import HouseholdFactory, MembershipFactory, SignalFactory

pytestmark = pytest.mark.django_db


def _events(household, kind):
    return HouseholdEvent.objects.filter(household=household, kind=kind)


def test_a_worker_makes_a_request_from_an_open_signal(help_world):
    request = help_world.request(needs_vog=True, days=["wo", "ma"])
    assert request.status == HelpRequestStatus.OPEN
    assert request.signal == help_world.signal and request.action is None
    assert request.organisation == help_world.worker.organisation
    assert request.consent_recorded_by == help_world.worker.user
    assert request.needs_vog and request.days == ["ma", "wo"]
    event = _events(help_world.household, "help_requested").get()
    assert event.data["request"] == request.pk and event.user == help_world.worker.user
    log = AccessLog.objects.get(object_type="cases.helprequest", object_id=str(request.pk))
    assert log.action == "create" and log.household == help_world.household


def test_a_request_comes_from_an_open_action_of_the_households_joint_case(help_world):
    worker = help_world.worker
    case = case_open(actor=worker, household=help_world.household)
    action = action_add(
        actor=worker,
        case=case,
        description="Iemand die meegaat naar de markt",
        owner_organisation=worker.organisation,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    request = help_request_create(
        actor=worker,
        household=help_world.household,
        action=action,
        kind="vervoer",
        description="Naar de markt",
        consent_given_on=timezone.localdate(),
        consent_how="schriftelijk",
    )
    assert request.action == action and request.signal is None


def test_a_signal_of_another_household_or_closed_is_refused(help_world):
    other = SignalFactory(household=HouseholdFactory(corporation=help_world.worker.organisation))
    closed = SignalFactory(household=help_world.household, status="opgelost")
    for signal in (other, closed, None):
        with pytest.raises(ValidationError) as refused:
            help_request_create(
                actor=help_world.worker,
                household=help_world.household,
                signal=signal,
                kind="boodschappen",
                description="x",
                consent_given_on=timezone.localdate(),
                consent_how="mondeling",
            )
        assert "source" in refused.value.message_dict
    assert not _events(help_world.household, "help_requested").exists()


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("kind", {"kind": "zwemmen"}),
        ("description", {"description": "   "}),
        ("consent_given_on", {"consent_given_on": None}),
        ("consent_given_on", {"consent_given_on": timezone.localdate() + timedelta(days=1)}),
        ("consent_given_on", {"consent_given_on": timezone.localdate() - timedelta(days=91)}),
        ("consent_how", {"consent_how": "telepathie"}),
        ("days", {"days": ["ma", "maandag"]}),
    ],
)
def test_bad_values_are_refused_at_their_field(help_world, field, values):
    with pytest.raises(ValidationError) as refused:
        help_world.request(**values)
    assert field in refused.value.message_dict
    assert not _events(help_world.household, "help_requested").exists()


def test_an_erased_or_merged_household_gets_no_request(help_world):
    help_world.household.anonymised_at = timezone.now()
    help_world.household.save()
    with pytest.raises(ValidationError, match="gewist"):
        help_world.request()
    survivor = HouseholdFactory(corporation=help_world.worker.organisation)
    help_world.household.anonymised_at = None
    help_world.household.merged_into = survivor
    help_world.household.merged_at = timezone.now()
    help_world.household.save()
    with pytest.raises(ValidationError, match="samengevoegd"):
        help_world.request()


def test_only_a_worker_makes_a_request(help_world):
    manager = MembershipFactory(organisation=help_world.worker.organisation, role="manager")
    help_world.worker = manager
    with pytest.raises(ValidationError, match="Alleen een medewerker"):
        help_world.request()
    with pytest.raises(ValidationError, match="Alleen een medewerker"):
        help_request_create(actor=help_world.agent, household=help_world.household)


def test_closing_ends_the_live_matches_with_the_reason(help_world):
    request = help_world.request()
    match = help_world.proposed(request)
    with pytest.raises(ValidationError) as refused:
        help_request_close(actor=help_world.worker, request=request, reason=" ")
    assert "reason" in refused.value.message_dict
    help_request_close(actor=help_world.worker, request=request, reason="Dochter helpt nu")
    request.refresh_from_db()
    match.refresh_from_db()
    assert request.status == HelpRequestStatus.CLOSED and request.close_reason == "Dochter helpt nu"
    assert match.status == MatchStatus.ENDED and match.ended_by == "medewerker"
    assert _events(help_world.household, "help_request_closed").count() == 1
    assert HelperEvent.objects.filter(helper=help_world.helper, kind="match_ended").count() == 1
    with pytest.raises(ValidationError, match="al gesloten"):
        help_request_close(actor=help_world.worker, request=request, reason="Nogmaals")


def test_a_worker_of_another_organisation_cannot_close_it(help_world, outsider):
    request = help_world.request()
    with pytest.raises(ValidationError, match="mag niet"):
        help_request_close(actor=outsider, request=request, reason="Weg")
