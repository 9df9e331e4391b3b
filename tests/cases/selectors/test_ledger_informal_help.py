"""Informal help in the costs-and-savings ledger (ADR 0035): hours per organisation that made
the requests, never money; a few households of another organisation behind them show "<5"."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import HelpGiven
from cases.models.ledger import Period, first_of_month
from cases.selectors.ledger import ledger_for
from tests.factories import HouseholdFactory, MembershipFactory, agree

pytestmark = pytest.mark.django_db


def this_month():
    month = first_of_month(timezone.localdate())
    return Period(month, month, "maand")


def give(match, minutes, worker):
    HelpGiven.objects.create(
        match=match, given_on=timezone.localdate(), minutes=minutes, recorded_by=worker.user
    )


def test_hours_of_informal_help_per_organisation(
    manager, corporation_worker, household, agreed_match
):
    match = agreed_match(corporation_worker, household, days_ago=0)
    give(match, 90, corporation_worker)
    give(match, 45, corporation_worker)
    old = agreed_match(corporation_worker, household, days_ago=0)
    HelpGiven.objects.create(
        match=old,
        given_on=this_month().start - timedelta(days=1),
        minutes=600,
        recorded_by=corporation_worker.user,
    )
    ledger = ledger_for(actor=manager, period=this_month())
    own = ledger.investments[0]
    assert own.informal_minutes == 135 and own.informal_hours == Decimal("2.3")
    assert ledger.has_informal_help and not own.informal_suppressed
    assert own.total == own.hours_cost + own.packages  # hours, not money


def test_a_partner_seeing_a_few_of_another_corporations_households_sees_less_than_five(
    corporation, welfare, welfare_worker, lonely, agreed_match
):
    agree(corporation, welfare, lonely)
    household = HouseholdFactory(corporation=corporation)
    give(agreed_match(welfare_worker, household, days_ago=0), 60, welfare_worker)
    reader = MembershipFactory(organisation=welfare, role="manager")
    line = ledger_for(actor=reader, period=this_month()).investments[0]
    assert line.organisation == welfare and line.informal_suppressed
