"""The dashboards' filters and periods, and the small helpers every figure uses."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cases.models import DashboardTally, SignalCategory
from cases.models.dashboards import bucket_start as _bucket_start
from cases.selectors.dashboards.tables import Cell
from partners.models import Neighbourhood, Organisation

Grain = DashboardTally.Grain

MONTH, WEEK = "maand", "week"  # the values of ?per= in the URL
GRAINS = {MONTH: Grain.MONTH, WEEK: Grain.WEEK}
MAX_PERIODS = {MONTH: 60, WEEK: 53}
DEFAULT_PERIODS = 12
MAX_NEIGHBOURHOOD_COLUMNS = 12  # more than this: per district (wijk) instead
CHART_PEOPLE = 25  # the caseload chart draws the busiest; the table has everyone
SENT = ("organisation_id", "partner_id")  # (own side, other side) of a referral tally
RECEIVED = ("partner_id", "organisation_id")


# --- Filters and periods --------------------------------------------------------------------------


def bucket_start(day: date, per: str) -> date:
    return _bucket_start(day, GRAINS[per])


def default_period(per: str, today: date | None = None) -> tuple[date, date]:
    """The last twelve months or weeks, this one included."""
    today = today or timezone.localdate()
    end = bucket_start(today, per)
    start = end
    for _step in range(DEFAULT_PERIODS - 1):
        start = bucket_start(start - timedelta(days=1), per)
    return start, today


@dataclass(frozen=True)
class DashboardFilters:
    start: date
    end: date
    per: str = MONTH
    neighbourhood: Neighbourhood | None = None
    category: SignalCategory | None = None
    partner: Organisation | None = None

    @property
    def grain(self) -> str:
        return GRAINS[self.per]

    def periods(self) -> list[date]:
        """The first day of every week or month from start to end."""
        periods, day = [], bucket_start(self.start, self.per)
        while day <= self.end:
            periods.append(day)
            day = bucket_start(day + timedelta(days=31 if self.per == MONTH else 7), self.per)
        return periods

    def as_log(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "per": self.per,
            "neighbourhood": self.neighbourhood.cbs_code if self.neighbourhood else None,
            "category": self.category.code if self.category else None,
            "partner": self.partner.pk if self.partner else None,
        }

    def cache_key(self) -> str:
        log = self.as_log()
        return ":".join(str(log[name]) for name in sorted(log))

    def as_query(self) -> str:
        """The filters as a URL query, for links that must show the same numbers."""
        chosen = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "per": self.per,
            "neighbourhood": self.neighbourhood.pk if self.neighbourhood else "",
            "category": self.category.pk if self.category else "",
            "partner": self.partner.pk if self.partner else "",
        }
        return urlencode({name: value for name, value in chosen.items() if value != ""})


def period_label(start: date, per: str) -> str:
    if per == WEEK:
        year, week, _day = start.isocalendar()
        return _("wk %(week)s %(year)s") % {"week": week, "year": year}
    return date_format(start, "M Y")


def total(cells) -> Cell:
    return Cell(sum(cell.value or 0 for cell in cells))


def percentile(histogram: dict[int, int], percent: int) -> int | None:
    """Nearest rank: the smallest value with at least `percent` % of the counts at or below
    it (the median of 1, 2, 2, 5 is 2, its 90th percentile 5)."""
    count = sum(histogram.values())
    if not count:
        return None
    rank, seen = -(-count * percent // 100), 0  # the rank rounded up, in whole numbers
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None  # pragma: no cover
