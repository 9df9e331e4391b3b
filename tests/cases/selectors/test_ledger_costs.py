"""A shared worker's hours as the ledger reads them: entered hours win over the agreed split, per
organisation, from the split's month and while the membership lasts."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import WorkedHours
from cases.models.ledger import add_months
from cases.selectors.ledger.costs import shared_hours
from cases.services.ledger import hours_split_save, worked_hours_enter
from partners.models import Membership

pytestmark = pytest.mark.django_db


def this_month():
    return timezone.localdate().replace(day=1)


def test_entered_hours_win_over_the_split_for_that_month(
    split, since_last_year, corporation, welfare, municipality
):
    worker = since_last_year
    last, before = add_months(this_month(), -1), add_months(this_month(), -2)
    worked_hours_enter(
        actor=worker,
        month=last,
        hours={corporation.pk: Decimal("30"), welfare.pk: Decimal("7.25"), municipality.pk: 0},
    )
    hours = shared_hours(months=[before, last], user_id=worker.user_id)
    user = worker.user_id
    assert hours[(user, corporation.pk, before)] == (Decimal("34.67"), "split")
    assert hours[(user, welfare.pk, before)] == (Decimal("20.80"), "split")
    assert hours[(user, municipality.pk, before)] == (Decimal("13.87"), "split")
    assert hours[(user, corporation.pk, last)] == (Decimal("30.00"), "entered")
    assert hours[(user, welfare.pk, last)] == (Decimal("7.25"), "entered")
    assert hours[(user, municipality.pk, last)] == (Decimal("0.00"), "entered")
    # Entering the month again replaces it.
    worked_hours_enter(
        actor=worker,
        month=last,
        hours={corporation.pk: Decimal("31"), welfare.pk: 0, municipality.pk: 0},
    )
    assert WorkedHours.objects.filter(month=last).count() == 3
    assert WorkedHours.objects.get(month=last, organisation=corporation).hours == Decimal("31")


def test_the_ledger_reads_only_the_hours_of_its_organisations(
    split, since_last_year, admin, corporation, welfare, municipality
):
    worker, user = since_last_year, since_last_year.user_id
    before, last = add_months(this_month(), -2), add_months(this_month(), -1)
    worked_hours_enter(
        actor=worker,
        month=last,
        hours={corporation.pk: Decimal("30"), welfare.pk: Decimal("10"), municipality.pk: 0},
    )
    # From this month the split leaves welfare out: the earlier version stops counting for it.
    hours_split_save(
        actor=admin,
        user=worker.user,
        hours_per_week=Decimal("16"),
        valid_from=this_month(),
        shares={corporation.pk: 80, welfare.pk: 0, municipality.pk: 20},
    )
    hours = shared_hours(months=[before, last, this_month()], organisation_ids={welfare.pk})
    assert hours == {
        (user, welfare.pk, before): (Decimal("20.80"), "split"),
        (user, welfare.pk, last): (Decimal("10.00"), "entered"),
    }
    assert shared_hours(months=[before, last], organisation_ids=set()) == {}


def test_the_split_stops_counting_where_a_membership_ended(
    split, since_last_year, welfare, corporation
):
    before = add_months(this_month(), -2)
    Membership.objects.filter(user=since_last_year.user, organisation=welfare).update(
        ended_at=timezone.make_aware(datetime.datetime.combine(before, datetime.time(12)))
        - datetime.timedelta(days=1)
    )
    hours = shared_hours(months=[before], user_id=since_last_year.user_id)
    assert (since_last_year.user_id, welfare.pk, before) not in hours
    assert (since_last_year.user_id, corporation.pk, before) in hours


def test_no_split_before_it_was_agreed(split, since_last_year):
    long_ago = add_months(this_month(), -6)
    assert shared_hours(months=[long_ago], user_id=since_last_year.user_id) == {}
