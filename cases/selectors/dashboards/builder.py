"""Computing one dashboard: reading the tallies within the filters, and the figures of each
kind of organisation, from the mixins in own.py, now.py and across.py."""

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import DashboardTally
from cases.selectors.dashboards.across import AcrossFigures
from cases.selectors.dashboards.filters import RECEIVED, SENT, DashboardFilters, period_label, total
from cases.selectors.dashboards.now import NowFigures
from cases.selectors.dashboards.offer import dashboard_agreements, dashboard_categories
from cases.selectors.dashboards.own import OwnFigures
from cases.selectors.dashboards.tables import Cell, Dashboard, Row, Section
from partners.models import Membership, Neighbourhood, Organisation

Figure = DashboardTally.Figure
Grain = DashboardTally.Grain
Kind = Organisation.Kind


class Builder(OwnFigures, NowFigures, AcrossFigures):
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
        """The tallies of these figures within the filters. `category`: "rows" for the rows per
        category, "all" for the row for all categories (or the chosen category's), "both" for
        both, None when the figure has no category. `partner`: the field that holds
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
        elif category == "rows":
            q &= Q(category__isnull=False)
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

    def period_rows(self, grid, columns, *, with_total=None, totals=None) -> list[Row]:
        """One row per week or month: a cell per column key, and a total when there are
        several (summed, or taken from `totals`: {period: value} when the columns overlap)."""
        rows = []
        with_total = len(columns) > 1 if with_total is None else with_total
        for period in self.periods:
            cells = tuple(Cell(grid.get((period, column), 0)) for column in columns)
            if with_total:
                cells += (Cell(totals.get(period, 0)) if totals is not None else total(cells),)
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
