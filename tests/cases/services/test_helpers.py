"""Helpers (dragers, ADR 0032): registered by a worker with consent, each step in the history
with who did it; bad input said per field in Dutch; stopping ends every link."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.access.actors import agent_for_link
from cases.models import AccessLog, HelperEvent, PersonalLink
from cases.services import helpers as services
from cases.workflow import HelperStatus

pytestmark = pytest.mark.django_db
Kind = HelperEvent.Kind


def _agent(helper):
    return agent_for_link(PersonalLink.objects.filter(helper=helper).latest("created_at"))


def test_registering_records_the_consent_by_whom_and_the_history(
    corporation_worker, register_helper
):
    today = timezone.localdate()
    helper = register_helper(
        corporation_worker, vog_seen_on=today, vog_expires_on=today + timedelta(days=365)
    )
    assert helper.organisation == corporation_worker.organisation
    assert helper.status == HelperStatus.REGISTERED
    assert helper.consent_recorded_by == corporation_worker.user
    assert helper.consent_how == "mondeling" and helper.consent_given_on == today
    assert helper.vog_seen_by == corporation_worker.user and helper.vog_valid()
    assert helper.postcode == "9901 AB"
    event = helper.events.get()
    assert (event.kind, event.user) == (Kind.REGISTERED, corporation_worker.user)
    row = AccessLog.objects.get(object_id=str(helper.pk))
    assert (row.action, row.channel, row.legal_basis) == ("create", "web", "toestemming")


def test_bad_input_is_said_at_its_field_in_dutch(corporation_worker, settings, register_helper):
    settings.LANGUAGE_CODE = "nl"
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        register_helper(
            corporation_worker,
            first_name=" ",
            phone="",
            email="",
            offers=[],
            reach_metres=None,
            postcode="12",
            consent_given_on=tomorrow,
            vog_seen_on=timezone.localdate(),
        )
    errors = caught.value.message_dict
    assert set(errors) == {
        "first_name",
        "phone",
        "offers",
        "reach_metres",
        "postcode",
        "consent_given_on",
        "vog_expires_on",
    }
    assert errors["first_name"] == ["Geef de voornaam van de drager."]


def test_own_street_only_needs_no_metres(corporation_worker, register_helper):
    helper = register_helper(corporation_worker, own_street_only=True, reach_metres=800)
    assert helper.own_street_only and helper.reach_metres is None


def test_only_a_worker_registers_a_helper(manager, register_helper):
    with pytest.raises(ValidationError):
        register_helper(manager)


def test_a_change_names_the_fields_not_the_values(
    corporation_worker, helper_values, register_helper
):
    helper = register_helper(corporation_worker)
    services.helper_update(
        actor=corporation_worker, helper=helper, **helper_values(phone="06 0000 9999")
    )
    event = helper.events.get(kind=Kind.CHANGED)
    assert event.data == {"fields": ["phone"]}
    assert "9999" not in str(event.data)


def test_the_helper_confirms_pauses_resumes_and_stops_by_their_link(
    corporation_worker, register_helper, helper_link
):
    helper = register_helper(corporation_worker)
    helper_link(corporation_worker, helper)
    agent = _agent(helper)
    with pytest.raises(ValidationError):
        services.helper_confirm(actor=corporation_worker, helper=helper)
    for step, status in (
        (services.helper_confirm, HelperStatus.ACTIVE),
        (services.helper_pause, HelperStatus.PAUSED),
        (services.helper_resume, HelperStatus.ACTIVE),
        (services.helper_stop, HelperStatus.STOPPED),
    ):
        helper = step(actor=agent, helper=helper)
        assert helper.status == status
    assert helper.confirmed_at and helper.stopped_at
    by_link = helper.events.filter(agent=agent.reference)
    assert by_link.count() == 4
    assert set(by_link.values_list("agent_name", flat=True)) == {"Henk"}
    assert not PersonalLink.objects.filter(helper=helper, revoked_at__isnull=True).exists()


def test_a_worker_stopping_the_offer_ends_the_link(
    corporation_worker, register_helper, helper_link
):
    helper = register_helper(corporation_worker)
    helper_link(corporation_worker, helper)
    services.helper_stop(actor=corporation_worker, helper=helper)
    assert PersonalLink.objects.get(helper=helper).revoked_at is not None
    with pytest.raises(ValidationError):
        services.helper_resume(actor=corporation_worker, helper=helper)


def test_another_organisations_worker_cannot_change_a_helper(
    corporation_worker, outsider, register_helper
):
    helper = register_helper(corporation_worker)
    with pytest.raises(Exception):  # noqa: B017 - not found through visible_to
        services.helper_pause(actor=outsider, helper=helper)
    helper.refresh_from_db()
    assert helper.status == HelperStatus.REGISTERED
