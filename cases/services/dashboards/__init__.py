"""Counting the dashboards' tallies again (ADR 0013). Celery beat runs `dashboard_refresh()`
every DASHBOARD_REFRESH_SECONDS: it counts again what is open now and only the weeks and months
in which something happened since the last run, for the organisations it happened to; once a
night it counts everything again. Each run is one transaction; two runs at once wait for each
other. How each figure is counted: counts.py."""

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import (
    CaseParticipant,
    DashboardRefresh,
    DashboardTally,
    HomeVisit,
    JointCase,
    Referral,
    Signal,
)
from cases.models.dashboards import PERIOD_GRAINS, bucket_start
from cases.services.dashboards.counts import (
    Buckets,
    count_cases,
    count_now,
    count_referrals,
    count_signals,
    count_visits,
)

Figure = DashboardTally.Figure
Grain = DashboardTally.Grain

# A change is found by its time; one committed a little after the previous run started, with
# a time from before it, is still found.
MARGIN = timedelta(minutes=15)


@dataclass(frozen=True)
class Family:
    figures: tuple[str, ...]
    count: object  # (grain, Buckets or None for all) -> rows inserted
    changed: object  # (since) -> {grain: Buckets} of what changed since


def _changed(rows) -> dict[str, Buckets]:
    """{grain: {week or month start: organisations}} of (day or moment, organisation) pairs:
    what to count again."""
    tz = timezone.get_current_timezone()
    changed = {grain: defaultdict(set) for grain in PERIOD_GRAINS}
    for when, organisation in rows:
        if when is None:
            continue
        day = timezone.localdate(when, tz) if isinstance(when, datetime) else when
        for grain in PERIOD_GRAINS:
            changed[grain][bucket_start(day, grain)].add(organisation)
    return changed


def _changed_cases(since) -> dict[str, Buckets]:
    """A case opened, closed or joined since: the weeks and months it was opened and closed
    in, for every organisation taking part."""
    cases = JointCase.objects.filter(
        Q(opened_at__gte=since) | Q(closed_at__gte=since) | Q(participants__joined_at__gte=since)
    )
    rows = CaseParticipant.objects.filter(case__in=cases).values_list(
        "case__opened_at", "case__closed_at", "organisation_id"
    )
    return _changed(
        (moment, organisation)
        for opened, closed, organisation in rows
        for moment in (opened, closed)
    )


FAMILIES = {
    "signals": Family(
        (Figure.SIGNALS,),
        count_signals,
        lambda since: _changed(
            Signal.objects.filter(created_at__gte=since).values_list(
                "created_at", "household__corporation_id"
            )
        ),
    ),
    "visits": Family(
        (Figure.VISITS,),
        count_visits,
        lambda since: _changed(
            HomeVisit.objects.filter(created_at__gte=since).values_list(
                "visited_on", "household__corporation_id"
            )
        ),
    ),
    "referrals": Family(
        (
            Figure.REFERRALS,
            Figure.REFERRED,
            Figure.DECLINED,
            Figure.COMPLETED,
            Figure.RESPONSE,
            Figure.ON_TIME,
        ),
        count_referrals,
        lambda since: _changed(
            Referral.objects.filter(
                Q(sent_at__gte=since) | Q(responded_at__gte=since) | Q(closed_at__gte=since)
            ).values_list("sent_at", "from_organisation_id")
        ),
    ),
    "cases": Family((Figure.CASES,), count_cases, _changed_cases),
}


# --- the run ------------------------------------------------------------------------------------


@transaction.atomic
def dashboard_refresh(*, full: bool = True) -> DashboardRefresh:
    """Count the dashboards' tallies again, in one transaction (readers see the old figures
    until it commits). `full=False` counts again only what is open now and the weeks and
    months in which something was added or changed since the last run; the first run, and a
    full one, count everything. Serialised by a lock on the one DashboardRefresh row."""
    started = time.monotonic()
    DashboardRefresh.objects.get_or_create(pk=1)
    refresh = DashboardRefresh.objects.select_for_update().get(pk=1)
    now = timezone.now()
    rows = 0
    if full or refresh.refreshed_at is None:
        DashboardTally.objects.all().delete()
        for family in FAMILIES.values():
            rows += sum(family.count(grain) for grain in PERIOD_GRAINS)
    else:
        DashboardTally.objects.filter(grain=Grain.NOW).delete()
        since = refresh.refreshed_at - MARGIN
        for family in FAMILIES.values():
            for grain, buckets in family.changed(since).items():
                if not buckets:
                    continue
                stale = Q(pk__in=[])
                for start, organisations in buckets.items():
                    stale |= Q(period_start=start, organisation_id__in=organisations)
                DashboardTally.objects.filter(
                    stale, figure__in=family.figures, grain=grain
                ).delete()
                rows += family.count(grain, buckets)
    rows += count_now(now)
    refresh.refreshed_at = now
    refresh.seconds = round(time.monotonic() - started, 3)
    refresh.rows = rows
    refresh.full = full or refresh.full_at is None
    if refresh.full:
        refresh.full_at = now
    refresh.save()
    return refresh
