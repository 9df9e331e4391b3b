"""The dashboard world: a small world whose dashboard numbers are counted by hand (see the
docstring of `_build_dashboard_world`). Registered as a plugin in tests/conftest.py, so the
dashboard tests of cases and of the browser share it.

Dates are relative to today: "last month" and "this month" in whole calendar months, and
referrals sent on a Monday of last month that starts five working days in a row, so the working
days to respond are known without looking at the holiday list."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from cases.models import CaseParticipant, HomeVisit, JointCase, Referral, Signal
from cases.workdays import is_working_day
from partners.models import Membership, Neighbourhood
from tests.factories import HouseholdFactory, MembershipFactory, NeighbourhoodFactory, agree


def _at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _quiet_monday(month_start: date) -> date:
    """A Monday in that month followed by five working days (Monday to Friday, no holiday)."""
    day = month_start
    while not (
        day.weekday() == 0
        and day.month == month_start.month
        and all(is_working_day(day + timedelta(days=n)) for n in range(5))
    ):
        day += timedelta(days=1)
    return day


@dataclass
class DashboardWorld:
    this_month: date
    last_month: date
    district: Neighbourhood
    vogelbuurt: Neighbourhood
    bloemenbuurt: Neighbourhood
    haven: Neighbourhood
    households: dict
    referrals: dict
    corporation_manager: Membership
    welfare_manager: Membership
    third_manager: Membership


def _build_dashboard_world(
    *,
    corporation,
    welfare,
    care,
    third_corporation,
    corporation_worker,
    welfare_worker,
    categories,
) -> DashboardWorld:
    """Counted by hand (month grain; L = last month, T = this month):

    corporation (Woonstichting Testdorp), households h1, h2 in Vogelbuurt, h3 in Bloemenbuurt
    (both in district Noord), h4 in Haven (district Zuid):
      signals  L: h1 lonely (closed), h2 lonely, h3 arrears   T: h1 lonely, h3 lonely, h4 noise
               open now: all but h1's first (5), all logged by the corporation worker
      visits   L: h1 signals, h2 not at home                 T: h4 no concerns
      referrals (sent on a quiet Monday of L)
        r1 to welfare, h1: accepted Wednesday (2 working days, deadline next Monday: on time),
           completed "helped"
        r2 to welfare, h2: declined Friday, "no capacity" (4 working days, deadline Tuesday:
           late)
        r3 to care, h3 arrears, sent T, deadline passed, no response: overdue now
      joint cases: h2 opened L, closed T (corporation only); h1 opened T, open, coordinated by
        the welfare worker, with welfare taking part
    third corporation (Woonbron Elders), households o1..o6 in Vogelbuurt:
      signals T: o1..o6 lonely, o1 arrears
      r4 to welfare, o1 lonely, sent T, accepted the same morning (0 working days), assigned
         to the welfare worker
    agreements: corporation-welfare (5 days), corporation-care (3), third-welfare (5)
    """
    lonely, arrears, noise = _category(categories, "eenzaamheid", "huurachterstand", "overlast")
    today = timezone.localdate()
    this_month = _first_of_month(today)
    last_month = _first_of_month(this_month - timedelta(days=1))
    noord = NeighbourhoodFactory(name="Noord", cbs_code="WK990201", municipality="Testdorp")
    zuid = NeighbourhoodFactory(name="Zuid", cbs_code="WK990202", municipality="Testdorp")
    vogelbuurt = NeighbourhoodFactory(
        name="Vogelbuurt", cbs_code="BU99020101", kind="buurt", parent=noord
    )
    bloemenbuurt = NeighbourhoodFactory(
        name="Bloemenbuurt", cbs_code="BU99020102", kind="buurt", parent=noord
    )
    haven = NeighbourhoodFactory(name="Haven", cbs_code="BU99020201", kind="buurt", parent=zuid)
    homes = {}
    for name, area in (("h1", vogelbuurt), ("h2", vogelbuurt), ("h3", bloemenbuurt)):
        homes[name] = HouseholdFactory(corporation=corporation, neighbourhood=area)
    homes["h4"] = HouseholdFactory(corporation=corporation, neighbourhood=haven)
    for number in range(1, 7):
        homes[f"o{number}"] = HouseholdFactory(
            corporation=third_corporation, neighbourhood=vogelbuurt
        )

    worker = corporation_worker.user
    third_worker = MembershipFactory(organisation=third_corporation).user

    def signal(home, category, day, *, status="open", by=worker):
        return Signal.objects.create(
            household=homes[home],
            category=category,
            severity="midden",
            description="Gezien",
            status=status,
            created_by=by,
            organisation=homes[home].corporation,
            created_at=_at(day),
        )

    monday = _quiet_monday(last_month)
    signals = {
        "h1-lonely-L": signal("h1", lonely, monday, status="opgelost"),
        "h2-lonely-L": signal("h2", lonely, monday),
        "h3-arrears-L": signal("h3", arrears, monday),
        "h1-lonely-T": signal("h1", lonely, this_month),
        "h3-lonely-T": signal("h3", lonely, this_month),
        "h4-noise-T": signal("h4", noise, this_month),
    }
    for number in range(1, 7):
        signals[f"o{number}-lonely-T"] = signal(f"o{number}", lonely, this_month, by=third_worker)
    signals["o1-arrears-T"] = signal("o1", arrears, this_month, by=third_worker)

    for home, day, outcome in (
        ("h1", last_month, "signalen"),
        ("h2", last_month, "niet_thuis"),
        ("h4", this_month, "geen_zorgen"),
    ):
        HomeVisit.objects.create(
            household=homes[home],
            visited_on=day,
            kind="regulier",
            outcome=outcome,
            created_by=worker,
            organisation=corporation,
        )

    with_welfare = agree(corporation, welfare, lonely, days=5)
    with_care = agree(corporation, care, arrears, days=3)
    third_with_welfare = agree(third_corporation, welfare, lonely, days=5)

    def referral(home, to, agreement, sent_at, deadline, signal_keys, **fields):
        made = Referral.objects.create(
            household=homes[home],
            from_organisation=homes[home].corporation,
            to_organisation=to,
            agreement=agreement,
            legal_basis="vroegsignalering",
            sent_by=worker,
            sent_at=sent_at,
            deadline=deadline,
            **fields,
        )
        made.signals.set([signals[key] for key in signal_keys])
        return made

    referrals = {
        "r1": referral(
            "h1", welfare, with_welfare, _at(monday, 9), monday + timedelta(days=7),
            ["h1-lonely-L"], status="afgerond", outcome="geholpen",
            responded_at=_at(monday + timedelta(days=2), 10), responded_by=welfare_worker.user,
            closed_at=_at(monday + timedelta(days=3)),
        ),
        "r2": referral(
            "h2", welfare, with_welfare, _at(monday, 9), monday + timedelta(days=1),
            ["h2-lonely-L"], status="afgewezen", decline_category="geen_capaciteit",
            decline_reason="Wachtlijst", responded_at=_at(monday + timedelta(days=4), 10),
            responded_by=welfare_worker.user, closed_at=_at(monday + timedelta(days=4), 10),
        ),
        "r3": referral(
            "h3", care, with_care, _at(this_month, 9), this_month - timedelta(days=1),
            ["h3-arrears-L"],
        ),
        "r4": referral(
            "o1", welfare, third_with_welfare, _at(this_month, 9), today + timedelta(days=30),
            ["o1-lonely-T"], status="geaccepteerd", assigned_to=welfare_worker.user,
            responded_at=_at(this_month, 11), responded_by=welfare_worker.user,
        ),
    }  # fmt: skip

    closed = JointCase.objects.create(
        household=homes["h2"],
        coordinator_organisation=corporation,
        status=JointCase.Status.CLOSED,
        closing_summary="Klaar",
        opened_by=worker,
        opened_at=_at(last_month),
        closed_at=_at(this_month),
    )
    CaseParticipant.objects.create(case=closed, organisation=corporation)
    open_case = JointCase.objects.create(
        household=homes["h1"],
        coordinator_organisation=welfare,
        coordinator=welfare_worker.user,
        opened_by=worker,
        opened_at=_at(this_month),
    )
    CaseParticipant.objects.create(case=open_case, organisation=corporation)
    CaseParticipant.objects.create(
        case=open_case, organisation=welfare, via_referral=referrals["r1"]
    )

    return DashboardWorld(
        this_month=this_month,
        last_month=last_month,
        district=noord,
        vogelbuurt=vogelbuurt,
        bloemenbuurt=bloemenbuurt,
        haven=haven,
        households=homes,
        referrals=referrals,
        corporation_manager=MembershipFactory(
            organisation=corporation, role="manager", user__name="Petra Manager"
        ),
        welfare_manager=MembershipFactory(
            organisation=welfare, role="manager", user__name="Kees Manager"
        ),
        third_manager=MembershipFactory(
            organisation=third_corporation, role="manager", user__name="Olga Manager"
        ),
    )


def _category(categories, *codes):
    by_code = {c.code: c for c in categories}
    return [by_code[code] for code in codes]


@pytest.fixture
def dashboard_world(
    corporation,
    welfare,
    care,
    third_corporation,
    corporation_worker,
    welfare_worker,
    categories,
):
    """The world of _build_dashboard_world, its tallies counted, as the dashboards read them."""
    from cases.services.dashboards import dashboard_refresh

    built = _build_dashboard_world(
        corporation=corporation,
        welfare=welfare,
        care=care,
        third_corporation=third_corporation,
        corporation_worker=corporation_worker,
        welfare_worker=welfare_worker,
        categories=categories,
    )
    dashboard_refresh()
    return built
