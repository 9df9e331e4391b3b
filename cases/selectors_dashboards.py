"""Reads of the managers' dashboards (ADR 0009): every figure from the tallies the beat job
rebuilds, for the actor's own organisation, and aggregates of partners in an agreement in
which a cell counting 1 to 4 households of another organisation shows "<5" (`shown`, the one
place that rule lives: the page, the chart and both exports read its cells).

A dashboard costs the same few queries whatever the size of the data; a computed one is cached
until the next rebuild (its time is part of the cache key)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cases.access_log import log_access
from cases.dashboard_tables import Cell, Row, Table
from cases.models import AccessLog, Agreement, DashboardRefresh, DashboardTally, SignalCategory
from cases.services.dashboards import ACCEPTED, AGE_BANDS, ON_TIME, OVERDUE, WAITING
from cases.services.dashboards import bucket_start as _bucket_start
from cases.workflow import DeclineReason, ReferralOutcome, ReferralStatus, VisitOutcome
from partners.models import Membership, Neighbourhood, Organisation, User

Figure = DashboardTally.Figure
Grain = DashboardTally.Grain
Kind = Organisation.Kind

SMALL_CELL = 5  # fewer households than this, of another organisation, show as "<5"
MONTH, WEEK = "maand", "week"  # the values of ?per= in the URL
GRAINS = {MONTH: Grain.MONTH, WEEK: Grain.WEEK}
MAX_PERIODS = {MONTH: 60, WEEK: 53}
DEFAULT_PERIODS = 12
MAX_NEIGHBOURHOOD_COLUMNS = 12  # more than this: per district (wijk) instead
CHART_PEOPLE = 25  # the caseload chart draws the busiest; the table has everyone
SENT = ("organisation_id", "partner_id")  # (own side, other side) of a referral tally
RECEIVED = ("partner_id", "organisation_id")


def shown(value: int, *, other_households: int) -> Cell:
    """The small-cell rule for figures across organisations: a cell that counts 1 to 4
    households of another organisation shows "<5"; a cell of the own organisation's
    households only (other_households 0) shows its number."""
    if 0 < other_households < SMALL_CELL:
        return Cell(suppressed=True)
    return Cell(value)


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


# --- What the filters offer -----------------------------------------------------------------------


def dashboard_agreements(*, actor: Membership) -> list[Agreement]:
    """The actor's organisation's agreements, ended ones too (their referrals still count)."""
    return list(
        Agreement.objects.visible_to(actor).select_related("first", "second").order_by("pk")
    )


def dashboard_partners(*, actor: Membership) -> QuerySet:
    """Organisations the actor's organisation has, or had, an agreement with."""
    agreements = Agreement.objects.visible_to(actor)
    return (
        Organisation.objects.filter(
            Q(pk__in=agreements.values("first")) | Q(pk__in=agreements.values("second"))
        )
        .exclude(pk=actor.organisation_id)
        .order_by("name")
    )


def dashboard_filter_choices(*, actor: Membership, refreshed_at) -> dict[str, list]:
    """The filters' options as (id, label), cached until the tallies are counted again: a
    large organisation has hundreds of neighbourhoods, and the page is asked for often."""
    counted = refreshed_at.timestamp() if refreshed_at else "none"
    key = f"dashboard-choices:{actor.organisation_id}:{counted}"
    choices = cache.get(key)
    if choices is None:
        partners = list(dashboard_partners(actor=actor).values_list("pk", "name"))
        used = set(
            DashboardTally.objects.filter(
                organisation_id__in=[actor.organisation_id, *(pk for pk, _name in partners)],
                figure=Figure.AREAS,
                grain=Grain.NOW,
            ).values_list("neighbourhood_id", flat=True)
        )
        districts = Neighbourhood.objects.filter(pk__in=used).values("parent_id")
        areas = Neighbourhood.objects.filter(Q(pk__in=used) | Q(pk__in=districts)).order_by(
            "municipality", "name"
        )
        choices = {
            "neighbourhood": [
                (pk, f"{name} ({town})")
                for pk, name, town in areas.values_list("pk", "name", "municipality")
            ],
            "category": list(dashboard_categories().values_list("pk", "name")),
            "partner": partners,
        }
        cache.set(key, choices, timeout=2 * settings.DASHBOARD_REFRESH_SECONDS)
    return choices


def dashboard_categories() -> QuerySet:
    return SignalCategory.objects.all()


def dashboard_refreshed_at() -> datetime | None:
    """When the tallies were last rebuilt; None before the first rebuild."""
    return DashboardRefresh.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()


# --- The dashboard --------------------------------------------------------------------------------


@dataclass
class Section:
    title: str
    tables: list[Table]


@dataclass
class Dashboard:
    organisation: str
    per: str
    start: date
    end: date
    refreshed_at: datetime | None
    sections: list[Section] = field(default_factory=list)

    def table(self, key: str) -> Table | None:
        return next((t for s in self.sections for t in s.tables if t.key == key), None)


def dashboard_key(*, actor: Membership, filters: DashboardFilters, refreshed_at) -> str:
    """What a computed dashboard (and its page) is cached under: the organisation, the
    language, the time the tallies were counted and the filters."""
    counted = refreshed_at.timestamp() if refreshed_at else "none"
    return f"dashboard:{actor.organisation_id}:{get_language()}:{counted}:{filters.cache_key()}"


def dashboard_get(
    *, actor: Membership, filters: DashboardFilters, refreshed_at: datetime | None = None
) -> Dashboard:
    """The actor's organisation's dashboard for these filters, from the cache when the tallies
    have not been counted again since it was computed."""
    refreshed_at = refreshed_at or dashboard_refreshed_at()
    key = dashboard_key(actor=actor, filters=filters, refreshed_at=refreshed_at)
    dashboard = cache.get(key)
    if dashboard is None:
        dashboard = _Builder(actor, filters, refreshed_at).build()
        cache.set(key, dashboard, timeout=2 * settings.DASHBOARD_REFRESH_SECONDS)
    return dashboard


def dashboard_export(
    *, actor: Membership, filters: DashboardFilters, key: str, file_format: str
) -> Table | None:
    """One figure's table for an export, or None when the dashboard has no such figure. The
    export is logged: aggregates hold no household, so the access-log row names none (legal
    basis "no household data") and records the figure, the format and the filters."""
    table = dashboard_get(actor=actor, filters=filters).table(key)
    if table is not None:
        log_access(
            actor=actor,
            action=AccessLog.Action.EXPORT,
            detail={
                "dashboard": key,
                "format": file_format,
                "filters": filters.as_log(),
                "suppressed_cells": sum(c.suppressed for r in table.rows for c in r.cells),
            },
            legal_basis=AccessLog.LegalBasis.NONE,
        )
    return table


def _total(cells) -> Cell:
    return Cell(sum(cell.value or 0 for cell in cells))


def _percentile(histogram: dict[int, int], fraction: float) -> int | None:
    """Nearest rank: the smallest value with at least `fraction` of the counts at or below
    it (the median of 1, 2, 2, 5 is 2, its 90th percentile 5)."""
    total = sum(histogram.values())
    if not total:
        return None
    rank, seen = -(-total * fraction // 1), 0  # ceil without floats drifting
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None  # pragma: no cover


class _Builder:
    """Computes one dashboard from a handful of grouped reads of the tallies."""

    def __init__(self, actor: Membership, filters: DashboardFilters, refreshed_at):
        self.actor = actor
        self.own = actor.organisation_id
        self.kind = actor.organisation.kind
        self.filters = filters
        self.grain = filters.grain
        self.periods = filters.periods()
        self.refreshed_at = refreshed_at
        # Corporations send referrals; the other organisations receive them.
        self.side = SENT if self.kind == Kind.CORPORATIE else RECEIVED

    # --- reading tallies --------------------------------------------------------------------------

    def where(
        self, figures, *, grain=None, category=None, partner=None, per_area=False, **fields
    ) -> Q:
        """The tallies of these figures within the filters. `category`: "rows" when the figure
        has a row per category only (signals), "all" when it also has one row for all
        categories (referrals), None when it has no category. `partner`: the field that holds
        the partner, or "all" when the figure also has one row for all partners. Without a
        neighbourhood filter the rows for all neighbourhoods are read, unless `per_area`."""
        grain = grain or self.grain
        q = Q(figure__in=figures, grain=grain, **fields)
        if grain != Grain.NOW:
            q &= Q(period_start__gte=self.periods[0], period_start__lte=self.periods[-1])
        if self.filters.neighbourhood:
            q &= Q(neighbourhood_id__in=self.areas)
        else:
            q &= Q(neighbourhood__isnull=not per_area)
        chosen = self.filters.category
        if category and chosen:
            q &= Q(category_id=chosen.pk)
        elif category == "all":
            q &= Q(category__isnull=True)
        chosen = self.filters.partner
        if partner == "all":
            q &= Q(partner_id=chosen.pk) if chosen else Q(partner__isnull=True)
        elif partner and chosen:
            q &= Q(**{partner: chosen.pk})
        return q

    def grouped(self, q: Q, *fields) -> list[dict]:
        return list(
            DashboardTally.objects.filter(q)
            .values(*fields)
            .annotate(n=Sum("value"), households=Sum("households"))
            .order_by()
        )

    def name(self, organisation_id) -> str:
        organisation = self.partners.get(organisation_id)
        return organisation.name if organisation else str(organisation_id)

    def notes(self, *, category=True, partner=True) -> list[str]:
        """Say which chosen filters a figure cannot apply."""
        notes = []
        if self.filters.category and not category:
            notes.append(_("The category filter does not apply to this figure."))
        if self.filters.partner and not partner:
            notes.append(_("The partner filter does not apply to this figure."))
        return notes

    def period_rows(self, grid, columns, *, with_total=None, total=None) -> list[Row]:
        """One row per week or month: a cell per column key, and a total when there are
        several (summed, or taken from `total`: {period: value} when the columns overlap)."""
        rows = []
        with_total = len(columns) > 1 if with_total is None else with_total
        for period in self.periods:
            cells = tuple(Cell(grid.get((period, column), 0)) for column in columns)
            if with_total:
                cells += (Cell(total.get(period, 0)) if total is not None else _total(cells),)
            rows.append(Row(period_label(period, self.filters.per), cells))
        return rows

    def partner_rows(self, partners, cells_for) -> list[Row]:
        """One row per partner, and one for all partners when there are several."""
        rows = [Row(self.name(pk), cells_for({pk})) for pk in partners]
        if len(partners) > 1:
            rows.append(Row(_("All partners"), cells_for(set(partners)), is_total=True))
        return rows

    # --- the whole --------------------------------------------------------------------------------

    def build(self) -> Dashboard:
        area = self.filters.neighbourhood
        if area:  # a district stands for its neighbourhoods
            self.areas = [
                area.pk,
                *Neighbourhood.objects.filter(parent=area).values_list("pk", flat=True),
            ]
        agreements = dashboard_agreements(actor=self.actor)
        self.partners, self.agreed_days = {}, {}
        today = timezone.localdate()
        start, end = self.periods[0], self.filters.end
        self.network = set()
        for agreement in sorted(agreements, key=lambda a: a.valid_from):
            other = agreement.second if agreement.first_id == self.own else agreement.first
            self.partners[other.pk] = other
            if agreement.valid_from <= today:
                self.agreed_days[other.pk] = agreement.response_days
            if agreement.valid_from <= end and (
                agreement.valid_until is None or agreement.valid_until >= start
            ):
                self.network.add(other.pk)
        if self.filters.partner:
            self.network &= {self.filters.partner.pk}
        self.categories = list(dashboard_categories())
        self.snapshot = self.read_snapshot()
        if self.kind == Kind.CORPORATIE:
            sections = [
                Section(
                    _("Signals and home visits"),
                    [self.signals_per_category(), self.per_neighbourhood(), self.visits()],
                ),
                Section(_("Referrals to partners"), self.referrals()),
            ]
        else:
            sections = [
                Section(
                    _("Referrals received"),
                    [self.received_per_category(), self.per_neighbourhood(), *self.referrals()],
                )
            ]
        sections += [
            Section(_("Open now"), self.now()),
            Section(_("Joint cases"), [self.cases()]),
            Section(_("Across organisations"), self.across()),
        ]
        return Dashboard(
            organisation=self.actor.organisation.name,
            per=self.filters.per,
            start=start,
            end=end,
            refreshed_at=self.refreshed_at,
            sections=[s for s in sections if s.tables],
        )

    # --- signals, visits and what was received, over time -----------------------------------------

    def signals_per_category(self) -> Table:
        rows = self.grouped(
            self.where([Figure.SIGNALS], category="rows", organisation_id=self.own),
            "period_start",
            "category_id",
        )
        return self._per_category(
            "signalen-per-categorie", _("New signals per category"), rows, stacked=True
        )

    def received_per_category(self) -> Table:
        # Without a category filter this reads the rows per category and the row for all.
        rows = self.grouped(
            self.where(
                [Figure.REFERRALS], category="rows", partner="organisation_id", partner_id=self.own
            ),
            "period_start",
            "category_id",
        )
        table = self._per_category(
            "verwijzingen-per-categorie",
            _("Referrals received per category"),
            rows,
            stacked=False,
        )
        table.notes.insert(0, _("A referral about signals of two categories counts in both."))
        return table

    def _per_category(self, key, title, rows, *, stacked) -> Table:
        grid, total = defaultdict(int), defaultdict(int)
        for row in rows:
            if row["category_id"] is None:
                total[row["period_start"]] += row["n"]
            else:
                grid[(row["period_start"], row["category_id"])] += row["n"]
        used = {category for _period, category in grid}
        columns = [c for c in self.categories if c.pk in used]
        if self.filters.category:
            columns = [self.filters.category]
        keys = [c.pk for c in columns]
        with_total = len(keys) > 1
        return Table(
            key=key,
            title=title,
            row_header=_("Period"),
            columns=[c.name for c in columns] + ([_("Total")] if with_total else []),
            rows=self.period_rows(grid, keys, with_total=with_total, total=total or None)
            if keys
            else [],
            chart="bar" if stacked else "line",
            stacked=stacked,
            charted=list(range(len(keys))),
            notes=self.notes(partner=self.kind != Kind.CORPORATIE),
        )

    def per_neighbourhood(self) -> Table:
        if self.kind == Kind.CORPORATIE:
            q = self.where(
                [Figure.SIGNALS], category="rows", per_area=True, organisation_id=self.own
            )
            key, title = "signalen-per-buurt", _("New signals per neighbourhood")
        else:
            q = self.where(
                [Figure.REFERRALS],
                category="all",
                partner="organisation_id",
                per_area=True,
                partner_id=self.own,
            )
            key, title = "verwijzingen-per-buurt", _("Referrals received per neighbourhood")
        rows = self.grouped(
            q,
            "period_start",
            "neighbourhood_id",
            "neighbourhood__name",
            "neighbourhood__parent_id",
            "neighbourhood__parent__name",
        )
        areas = {row["neighbourhood_id"] for row in rows}
        by_district = not self.filters.neighbourhood and len(areas) > MAX_NEIGHBOURHOOD_COLUMNS
        grid, names = defaultdict(int), {}
        for row in rows:
            area, name = row["neighbourhood_id"], row["neighbourhood__name"]
            if by_district and row["neighbourhood__parent_id"]:
                area, name = row["neighbourhood__parent_id"], row["neighbourhood__parent__name"]
            grid[(row["period_start"], area)] += row["n"]
            names[area] = name
        columns = sorted(names, key=lambda area: names[area])
        notes = self.notes(partner=self.kind != Kind.CORPORATIE)
        if by_district:
            notes.insert(0, _("Per district: choose a district to see its neighbourhoods."))
        return Table(
            key=key,
            title=title,
            row_header=_("Period"),
            columns=[names[area] for area in columns] + ([_("Total")] if len(columns) > 1 else []),
            rows=self.period_rows(grid, columns) if columns else [],
            stacked=True,
            charted=list(range(len(columns))),
            notes=notes,
        )

    def visits(self) -> Table:
        rows = self.grouped(
            self.where([Figure.VISITS], organisation_id=self.own), "period_start", "key"
        )
        grid = {(row["period_start"], row["key"]): row["n"] for row in rows}
        outcomes = VisitOutcome.values
        return Table(
            key="huisbezoeken",
            title=_("Home visits done, by outcome"),
            row_header=_("Period"),
            columns=[str(capfirst(label)) for label in VisitOutcome.labels] + [_("Total")],
            rows=self.period_rows(grid, outcomes),
            stacked=True,
            charted=list(range(len(outcomes))),
            notes=self.notes(category=False, partner=False),
        )

    # --- referrals, per partner -------------------------------------------------------------------

    def referrals(self) -> list[Table]:
        own_side, other = self.side
        rows = self.grouped(
            self.where(
                [Figure.REFERRALS, Figure.DECLINED, Figure.COMPLETED],
                category="all",
                partner=other,
                **{own_side: self.own},
            ),
            "figure",
            other,
            "key",
        )
        counts = defaultdict(lambda: defaultdict(int))
        for row in rows:
            counts[row["figure"]][(row[other], row["key"])] += row["n"]
        partners = set(self.partners) | {pk for figure in counts.values() for pk, _key in figure}
        if self.filters.partner:
            partners = {self.filters.partner.pk}
        partners = sorted(partners, key=self.name)
        sent = self.kind == Kind.CORPORATIE

        def table(key, title, figure, choices, note):
            keys = [value for value, _label in choices]
            if any(k not in keys for _pk, k in counts[figure]):
                choices = [*choices, ("", _("Not given"))]
                keys.append("")

            def cells_for(pks):
                cells = tuple(Cell(sum(counts[figure][(pk, k)] for pk in pks)) for k in keys)
                return cells + (_total(cells),)

            return Table(
                key=key,
                title=title,
                row_header=_("Partner"),
                columns=[str(capfirst(label)) for _value, label in choices] + [_("Total")],
                rows=self.partner_rows(partners, cells_for),
                stacked=True,
                horizontal=True,
                charted=list(range(len(keys))),
                notes=[note],
            )

        cohort = (
            _("Referrals sent in the period, by their status now.")
            if sent
            else _("Referrals received in the period, by their status now.")
        )
        return [
            table(
                "verwijzingen",
                _("Referrals sent, per partner") if sent else _("Referrals received, per partner"),
                Figure.REFERRALS,
                ReferralStatus.choices,
                cohort,
            ),
            table(
                "afwijzingen",
                _("Declined, by reason"),
                Figure.DECLINED,
                DeclineReason.choices,
                _("Referrals of the period that were declined."),
            ),
            table(
                "uitkomsten",
                _("Completed, by outcome"),
                Figure.COMPLETED,
                ReferralOutcome.choices,
                _("Referrals of the period that were completed."),
            ),
            self.response(partners),
        ]

    def response(self, partners) -> Table:
        own_side, other = self.side
        rows = self.grouped(
            self.where(
                [Figure.RESPONSE, Figure.ON_TIME],
                category="all",
                partner=other,
                **{own_side: self.own},
            ),
            "figure",
            other,
            "key",
        )
        days, on_time = defaultdict(lambda: defaultdict(int)), defaultdict(lambda: defaultdict(int))
        for row in rows:
            if row["figure"] == Figure.RESPONSE:
                days[row[other]][int(row["key"])] += row["n"]
            else:
                on_time[row[other]][row["key"]] += row["n"]

        def cells_for(pks):
            histogram = defaultdict(int)
            for pk in pks:
                for value, count in days[pk].items():
                    histogram[value] += count
            responded = sum(histogram.values())
            in_time = sum(on_time[pk][ON_TIME] for pk in pks)
            agreed = self.agreed_days.get(next(iter(pks))) if len(pks) == 1 else None
            return (
                Cell(responded),
                Cell(_percentile(histogram, 0.5)),
                Cell(_percentile(histogram, 0.9)),
                Cell(agreed),
                Cell(round(100 * in_time / responded) if responded else None),
            )

        sent = self.kind == Kind.CORPORATIE
        return Table(
            key="reactietijd",
            title=_("Time to respond, against the agreed deadline"),
            row_header=_("Partner"),
            columns=[
                _("Responded"),
                _("Median (working days)"),
                _("90th percentile (working days)"),
                _("Agreed (working days)"),
                _("On time (%)"),
            ],
            rows=self.partner_rows(partners, cells_for),
            horizontal=True,
            charted=[1, 2, 3],
            notes=[
                _(
                    "Working days from sending to accepting or declining, for the referrals sent "
                    "in the period; on time: on or before the deadline."
                )
                if sent
                else _(
                    "Working days from sending to accepting or declining, for the referrals "
                    "received in the period; on time: on or before the deadline."
                )
            ],
        )

    # --- now --------------------------------------------------------------------------------------

    def read_snapshot(self) -> dict:
        own_side, other = self.side
        q = self.where(
            [Figure.OPEN_REFERRALS],
            grain=Grain.NOW,
            category="all",
            partner=other,
            **{own_side: self.own},
        )
        q |= self.where(
            [Figure.OPEN_CASES], grain=Grain.NOW, partner="all", organisation_id=self.own
        )
        q |= self.where(
            [Figure.CASELOAD_SIGNALS, Figure.CASELOAD_REFERRALS, Figure.CASELOAD_CASES],
            grain=Grain.NOW,
            organisation_id=self.own,
        )
        if self.kind == Kind.CORPORATIE:
            q |= self.where(
                [Figure.OPEN_SIGNALS], grain=Grain.NOW, category="rows", organisation_id=self.own
            )
        snapshot = defaultdict(lambda: defaultdict(int))
        for row in self.grouped(q, "figure", own_side, other, "key"):
            partner = row[other] if row["figure"] == Figure.OPEN_REFERRALS else None
            snapshot[row["figure"]][(partner, row["key"])] += row["n"]
        return snapshot

    def now(self) -> list[Table]:
        tables = []
        if self.kind == Kind.CORPORATIE:
            counts = self.snapshot[Figure.OPEN_SIGNALS]
            labels = dict(AGE_LABELS)
            tables.append(
                Table(
                    key="open-signalen",
                    title=_("Open signals by age"),
                    row_header=_("Open for"),
                    columns=[_("Open signals")],
                    rows=[
                        Row(str(capfirst(labels[band])), (Cell(counts.get((None, band), 0)),))
                        for band, _days in AGE_BANDS
                    ],
                    notes=[_("Signals open now, by how long ago they were opened.")]
                    + self.notes(partner=False),
                )
            )
        counts = self.snapshot[Figure.OPEN_REFERRALS]
        partners = sorted(
            {pk for pk, _key in counts} | (set() if self.filters.partner else set(self.partners)),
            key=self.name,
        )
        if self.filters.partner:
            partners = [self.filters.partner.pk]
        states = [
            (WAITING, _("Waiting, within the deadline")),
            (OVERDUE, _("Overdue")),
            (ACCEPTED, _("Accepted, in progress")),
        ]

        def cells_for(pks):
            cells = tuple(Cell(sum(counts.get((pk, s), 0) for pk in pks)) for s, _l in states)
            return cells + (_total(cells),)

        tables.append(
            Table(
                key="openstaand",
                title=_("Open referrals now"),
                row_header=_("Partner"),
                columns=[label for _state, label in states] + [_("Total")],
                rows=self.partner_rows(partners, cells_for),
                stacked=True,
                horizontal=True,
                charted=[0, 1, 2],
                notes=[_("Overdue: not yet accepted or declined, and the deadline has passed.")],
            )
        )
        tables.append(self.caseload())
        return tables

    def caseload(self) -> Table:
        measures = [
            (Figure.CASELOAD_SIGNALS, _("Open signals logged")),
            (Figure.CASELOAD_REFERRALS, _("Open referrals assigned")),
            (Figure.CASELOAD_CASES, _("Open joint cases coordinated")),
        ]
        if self.kind != Kind.CORPORATIE:
            measures = measures[1:]
        people = {
            int(key) for figure, _label in measures for _partner, key in self.snapshot[figure]
        }
        names = dict(User.objects.filter(pk__in=people).values_list("pk", "name"))
        rows = []
        for person in people:
            cells = tuple(
                Cell(self.snapshot[figure].get((None, str(person)), 0)) for figure, _l in measures
            )
            rows.append(Row(names.get(person, "?"), cells + (_total(cells),)))
        # The busiest first; the chart draws the first CHART_PEOPLE, the table has everyone.
        rows.sort(key=lambda row: (-row.cells[-1].value, row.label))
        notes = [
            _(
                "Open now: signals count for the worker who logged them, referrals for the "
                "colleague they are assigned to, joint cases for their coordinator."
            )
        ]
        if len(rows) > CHART_PEOPLE:
            notes.append(
                _("The chart shows the %(count)s with the most open work; the table shows all.")
                % {"count": CHART_PEOPLE}
            )
        return Table(
            key="caseload",
            title=_("Caseload per worker"),
            row_header=_("Worker"),
            columns=[label for _figure, label in measures] + [_("Total")],
            rows=rows,
            stacked=True,
            horizontal=True,
            charted=list(range(len(measures))),
            chart_rows=CHART_PEOPLE,
            notes=notes + self.notes(category=False, partner=False),
        )

    # --- joint cases ------------------------------------------------------------------------------

    def cases(self) -> Table:
        rows = self.grouped(
            self.where([Figure.CASES], partner="all", organisation_id=self.own),
            "period_start",
            "key",
        )
        grid = {(row["period_start"], row["key"]): row["n"] for row in rows}
        open_now = sum(self.snapshot[Figure.OPEN_CASES].values())
        return Table(
            key="casussen",
            title=_("Joint cases opened and closed"),
            row_header=_("Period"),
            columns=[_("Opened"), _("Closed")],
            rows=self.period_rows(grid, ["opened", "closed"], with_total=False),
            notes=[
                _("Joint cases your organisation takes part in. Open now: %(count)s.")
                % {"count": open_now}
            ]
            + self.notes(category=False),
        )

    # --- across organisations ---------------------------------------------------------------------

    def across(self) -> list[Table]:
        partners = [self.partners[pk] for pk in sorted(self.network, key=self.name)]
        tables = []
        receivers = [p for p in partners if p.kind != Kind.CORPORATIE]
        if self.kind != Kind.CORPORATIE:
            receivers.insert(0, self.actor.organisation)
        if len(receivers) > (0 if self.kind == Kind.CORPORATIE else 1):
            tables.append(self.across_referrals(receivers))
        corporations = [p for p in partners if p.kind == Kind.CORPORATIE]
        if corporations:
            tables.append(self.across_signals(corporations))
        return tables

    def across_referrals(self, receivers) -> Table:
        """Households referred to each organisation, from every organisation that referred;
        the senders' households are theirs, so the own organisation's are not suppressed."""
        rows = self.grouped(
            self.where([Figure.REFERRED], category="all", partner_id__in=[o.pk for o in receivers]),
            "period_start",
            "partner_id",
            "organisation_id",
        )
        households, others = defaultdict(int), defaultdict(int)
        for row in rows:
            cell = (row["period_start"], row["partner_id"])
            households[cell] += row["households"]
            if row["organisation_id"] != self.own:
                others[cell] += row["households"]
        table_rows = []
        for period in self.periods:
            cells = []
            for receiver in receivers:
                cell = (period, receiver.pk)
                if receiver.pk == self.own:
                    cells.append(Cell(households[cell]))
                else:
                    cells.append(shown(households[cell], other_households=others[cell]))
            table_rows.append(Row(period_label(period, self.filters.per), tuple(cells)))
        return Table(
            key="samenwerking-verwijzingen",
            title=_("Households referred to each organisation"),
            row_header=_("Period"),
            columns=[o.name for o in receivers],
            rows=table_rows,
            chart="line",
            across_organisations=True,
            notes=[
                _(
                    "Households referred in the period to your organisation and to the partners "
                    "you have an agreement with, by every organisation that referred them."
                )
            ],
        )

    def across_signals(self, corporations) -> Table:
        """Households with a new signal at the partner corporations, per category."""
        rows = self.grouped(
            self.where(
                [Figure.SIGNALS],
                category="rows",
                organisation_id__in=[o.pk for o in corporations],
            ),
            "period_start",
            "category_id",
        )
        households = defaultdict(int)
        for row in rows:
            households[(row["period_start"], row["category_id"])] += row["households"]
        used = {category for _period, category in households}
        columns = [c for c in self.categories if c.pk in used]
        if self.filters.category:
            columns = [self.filters.category]
        table_rows = (
            [
                Row(
                    period_label(period, self.filters.per),
                    tuple(
                        shown(
                            households[(period, c.pk)], other_households=households[(period, c.pk)]
                        )
                        for c in columns
                    ),
                )
                for period in self.periods
            ]
            if columns
            else []
        )
        return Table(
            key="samenwerking-signalen",
            title=_("Households with a new signal at partner corporations"),
            row_header=_("Period"),
            columns=[c.name for c in columns],
            rows=table_rows,
            chart="line",
            across_organisations=True,
            notes=[
                _("From the home visits of %(names)s, per category of the signal.")
                % {"names": ", ".join(o.name for o in corporations)}
            ],
        )


AGE_LABELS = (
    ("week", gettext_lazy("up to a week")),
    ("month", gettext_lazy("a week to a month")),
    ("quarter", gettext_lazy("1 to 3 months")),
    ("half_year", gettext_lazy("3 to 6 months")),
    ("older", gettext_lazy("more than 6 months")),
)
