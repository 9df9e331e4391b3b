"""What the database itself holds to for informal help (ADR 0033): a request comes from the
household's plan, a helper has one live match per request, a match is agreed only when both
sides said yes, and help given has one recorder and a plausible length."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import HelpGiven
from tests.factories import HelpMatchFactory, HelpRequestFactory

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_request_comes_from_a_signal_or_an_action():
    refused(lambda: HelpRequestFactory(signal=None))


def test_one_live_match_per_helper_and_request_and_a_new_one_after_a_decline():
    match = HelpMatchFactory()
    refused(lambda: HelpMatchFactory(request=match.request, helper=match.helper))
    match.status = "afgewezen"
    match.save()
    HelpMatchFactory(request=match.request, helper=match.helper)


def test_agreed_needs_both_sides():
    refused(lambda: HelpMatchFactory(status="afgesproken", helper_answered_at=timezone.now()))
    HelpMatchFactory(
        status="afgesproken",
        helper_answered_at=timezone.now(),
        household_agreed_at=timezone.now(),
    )


def test_help_given_has_one_recorder_and_a_plausible_length():
    match = HelpMatchFactory()
    today = timezone.localdate()
    refused(lambda: HelpGiven.objects.create(match=match, given_on=today, minutes=0, agent="x"))
    refused(lambda: HelpGiven.objects.create(match=match, given_on=today, minutes=60))
    refused(
        lambda: HelpGiven.objects.create(
            match=match, given_on=today, minutes=60, agent="link:1", recorded_by=match.proposed_by
        )
    )
    HelpGiven.objects.create(match=match, given_on=today, minutes=60, agent="link:1")
