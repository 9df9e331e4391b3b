"""Entering a shared worker's hours."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import WorkedHours
from cases.models.ledger import add_months
from cases.services.ledger import worked_hours_enter
from partners.models import Membership

pytestmark = pytest.mark.django_db


def this_month():
    return timezone.localdate().replace(day=1)


def field(organisation):
    return f"org_{organisation.pk}"


def test_hours_only_for_organisations_of_which_one_was_a_member_that_month(
    since_last_year, corporation, welfare, municipality
):
    # The worker joined the municipality this month: last month was not theirs to fill in.
    Membership.objects.filter(user=since_last_year.user, organisation=municipality).update(
        started_at=timezone.now()
    )
    last = add_months(this_month(), -1)
    with pytest.raises(ValidationError) as refused:
        worked_hours_enter(
            actor=since_last_year,
            month=last,
            hours={corporation.pk: Decimal("20"), welfare.pk: 0, municipality.pk: Decimal("5")},
        )
    assert field(municipality) in refused.value.message_dict
    assert WorkedHours.objects.count() == 0
    worked_hours_enter(
        actor=since_last_year,
        month=last,
        hours={corporation.pk: Decimal("20"), welfare.pk: Decimal("5"), municipality.pk: None},
    )
    assert set(WorkedHours.objects.values_list("organisation_id", flat=True)) == {
        corporation.pk,
        welfare.pk,
    }
    # With only one organisation in a month there is nothing to divide.
    Membership.objects.filter(user=since_last_year.user, organisation=welfare).update(
        started_at=timezone.now()
    )
    with pytest.raises(ValidationError) as refused:
        worked_hours_enter(
            actor=since_last_year,
            month=last,
            hours={corporation.pk: Decimal("20"), welfare.pk: 0, municipality.pk: 0},
        )
    assert "month" in refused.value.message_dict
