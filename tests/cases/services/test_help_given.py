"""Recording help given under an agreed match (cases.services.help_given, ADR 0035): by the
worker of the request's organisation or by the helper's link, only while agreed, on a
plausible day and length; in both histories and the access log, and the quiet period restarts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.access.actors import agent_for_link
from cases.models import AccessLog, HelperEvent, HelpGiven, HouseholdEvent, PersonalLink
from cases.services.help_given import help_given_record
from tests.factories import HelperFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def test_the_worker_records_help_in_both_histories_and_the_log(
    agreed_match, corporation_worker, household
):
    match = agreed_match(corporation_worker, household)
    before = match.last_activity_at
    given = help_given_record(actor=corporation_worker, match=match, given_on=today(), minutes=90)
    assert (given.minutes, given.recorded_by_id) == (90, corporation_worker.user_id)
    match.refresh_from_db()
    assert match.last_activity_at > before
    event = HouseholdEvent.objects.get(household=household, kind=HouseholdEvent.Kind.HELP_GIVEN)
    assert event.data["minutes"] == 90 and event.user_id == corporation_worker.user_id
    assert HelperEvent.objects.filter(helper=match.helper, kind="help_given").exists()
    log = AccessLog.objects.get(object_type="cases.helpgiven", object_id=str(given.pk))
    assert (log.household_id, log.action) == (household.pk, "create")
    assert log.legal_basis == "toestemming"


def test_the_helper_records_through_their_link(agreed_match, corporation_worker, household):
    match = agreed_match(corporation_worker, household)
    link = PersonalLink.objects.create(
        organisation=match.helper.organisation,
        purpose="aanbod",
        helper=match.helper,
        token_hash="a" * 64,
        delivery="scherm",
        created_by=corporation_worker.user,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    agent = agent_for_link(link)
    given = help_given_record(actor=agent, match=match, given_on=today(), minutes=30)
    assert (given.recorded_by_id, given.agent) == (None, link.reference)
    event = HelperEvent.objects.get(helper=match.helper, kind="help_given")
    assert (event.user_id, event.agent) == (None, link.reference)
    other = agreed_match(corporation_worker, household)  # another helper's match
    with pytest.raises(ValidationError):
        help_given_record(actor=agent, match=other, given_on=today(), minutes=30)


@pytest.mark.parametrize(
    ("days_back", "minutes", "field"),
    [(-1, 60, "given_on"), (20, 60, "given_on"), (0, 0, "minutes"), (0, 1441, "minutes")],
)
def test_a_day_or_length_out_of_range_is_refused_at_its_field(
    agreed_match, corporation_worker, household, days_back, minutes, field
):
    match = agreed_match(corporation_worker, household, days_ago=10)
    with pytest.raises(ValidationError) as refused:
        help_given_record(
            actor=corporation_worker,
            match=match,
            given_on=today() - datetime.timedelta(days=days_back),
            minutes=minutes,
        )
    assert list(refused.value.message_dict) == [field]
    assert not HelpGiven.objects.exists()


def test_the_day_it_was_agreed_and_a_whole_day_count(agreed_match, corporation_worker, household):
    match = agreed_match(corporation_worker, household, days_ago=10)
    help_given_record(
        actor=corporation_worker,
        match=match,
        given_on=timezone.localdate(match.agreed_at),
        minutes=1440,
    )
    assert HelpGiven.objects.count() == 1


def test_only_an_agreed_match(agreed_match, corporation_worker, household):
    match = agreed_match(corporation_worker, household)
    match.status, match.ended_at = "beeindigd", timezone.now()
    match.save()
    with pytest.raises(ValidationError):
        help_given_record(actor=corporation_worker, match=match, given_on=today(), minutes=60)
    assert not HelpGiven.objects.exists()


def test_another_organisation_and_a_manager_are_refused(
    agreed_match, corporation_worker, household, welfare_worker, manager
):
    match = agreed_match(corporation_worker, household)
    for actor in (welfare_worker, manager):
        with pytest.raises(ValidationError):
            help_given_record(actor=actor, match=match, given_on=today(), minutes=60)
    assert not HelpGiven.objects.exists()


def test_a_link_of_another_helper_reaches_nothing(agreed_match, corporation_worker, household):
    match = agreed_match(corporation_worker, household)
    stranger = HelperFactory(organisation=match.helper.organisation)
    link = PersonalLink.objects.create(
        organisation=stranger.organisation,
        purpose="aanbod",
        helper=stranger,
        token_hash="b" * 64,
        delivery="scherm",
        created_by=corporation_worker.user,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError):
        help_given_record(actor=agent_for_link(link), match=match, given_on=today(), minutes=5)
