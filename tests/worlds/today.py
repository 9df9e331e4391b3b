"""The daily-work world: what waits for the cast today, with the counts their start pages must
show (ADR 0022), for the selector, view and browser tests of the start page, the overdue
referrals and the joint-case links. Registered as a plugin in tests/conftest.py."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from cases.models import CaseAction, JointCase, Referral, Signal
from cases.services import joint_cases
from cases.services.referrals import referral_accept, referral_assign, referral_send
from partners.models import Neighbourhood
from tests.factories import (
    HouseholdFactory,
    NeighbourhoodFactory,
    SignalFactory,
    agree,
    consent_given,
)

DAY = datetime.timedelta(days=1)


@dataclass
class TodayWorld:
    today: datetime.date
    referrals: dict[str, Referral]
    case: JointCase
    actions: dict[str, CaseAction]
    signals: dict[str, Signal]
    # What each start page counts, by the cast's fixture name and the count's key.
    expected: dict[str, dict[str, int]] = field(default_factory=dict)


def _send(actor, household, to, category, *, deadline=None):
    referral = referral_send(
        actor=actor,
        household=household,
        to_organisation=to,
        signals=[SignalFactory(household=household, category=category)],
    )
    if deadline is not None:
        Referral.objects.filter(pk=referral.pk).update(deadline=deadline)
        referral.refresh_from_db()
    return referral


@pytest.fixture
def today_world(
    corporation,
    welfare,
    care,
    corporation_worker,
    welfare_worker,
    care_worker,
    household,
    neighbourhood,
    lonely,
):
    """The corporation's worker works in De Akkers (the household's neighbourhood). Welfare
    received four referrals of the household: one new, one due today, one a week past its
    deadline, one accepted and assigned to its worker; care one it accepted. Welfare and the
    corporation share an open joint case with an action of welfare's past its due date and one
    of the corporation's worker next week. Signals in De Akkers follow up today, yesterday and
    next week; a closed one and one elsewhere are past theirs."""
    today = timezone.localdate()
    corporation_worker.neighbourhoods.add(neighbourhood)
    agree(corporation, welfare, lonely)
    agree(corporation, care, lonely)
    consent_given(corporation_worker, household, welfare, [lonely])
    consent_given(corporation_worker, household, care, [lonely])

    def send(to, **extra):
        return _send(corporation_worker, household, to, lonely, **extra)

    referrals = {
        "new": send(welfare, deadline=today + 5 * DAY),
        "today": send(welfare, deadline=today),
        "overdue": send(welfare, deadline=today - 7 * DAY),
        "accepted": send(welfare, deadline=today - 7 * DAY),
        "care": send(care),
    }
    referral_accept(actor=welfare_worker, referral=referrals["accepted"])
    referral_assign(actor=welfare_worker, referral=referrals["accepted"], user=welfare_worker.user)
    referral_accept(actor=care_worker, referral=referrals["care"])
    for referral in referrals.values():
        referral.refresh_from_db()

    case = joint_cases.case_open(actor=corporation_worker, household=household)
    joint_cases.case_add_participant(actor=corporation_worker, case=case, organisation=welfare)

    def action(description, owner, person=None):
        return joint_cases.action_add(
            actor=corporation_worker,
            case=case,
            description=description,
            owner_organisation=owner,
            owner_person=person,
            due_on=today + 7 * DAY,
        )

    actions = {
        "welfare_late": action("Kennismaken met mevrouw", welfare),
        "corporation_next_week": action(
            "Keukenkraan laten maken", corporation, corporation_worker.user
        ),
    }
    CaseAction.objects.filter(pk=actions["welfare_late"].pk).update(due_on=today - 2 * DAY)

    elsewhere = HouseholdFactory(
        corporation=corporation,
        tenancy_reference="HC-ELDERS-1",  # not a number of the factory's sequence
        neighbourhood=NeighbourhoodFactory(
            cbs_code="WK990199", name="Elders", kind=Neighbourhood.Kind.WIJK
        ),
    )
    signals = {
        "due_today": SignalFactory(household=household, category=lonely, follow_up_on=today),
        "due_yesterday": SignalFactory(
            household=household, category=lonely, follow_up_on=today - DAY
        ),
        "next_week": SignalFactory(
            household=household, category=lonely, follow_up_on=today + 7 * DAY
        ),
        "closed": SignalFactory(
            household=household, category=lonely, follow_up_on=today - DAY, status="opgelost"
        ),
        "elsewhere": SignalFactory(household=elsewhere, category=lonely, follow_up_on=today - DAY),
    }
    open_in_akkers = Signal.objects.filter(
        household=household, status__in=("open", "in_behandeling", "doorverwezen")
    ).count()
    expected = {
        "welfare_worker": {
            "referrals_new": 3,
            "referrals_today": 1,
            "referrals_overdue": 1,
            "referrals_mine": 1,
            "actions_open": 1,
            "actions_late": 1,
            "packages_to_decide": 0,
        },
        "corporation_worker": {
            "signals_due": 2,
            "signals_mine": open_in_akkers,
            "actions_open": 1,
            "actions_late": 0,
            "packages_to_decide": 0,
        },
    }
    return TodayWorld(
        today=today,
        referrals=referrals,
        case=case,
        actions=actions,
        signals=signals,
        expected=expected,
    )
