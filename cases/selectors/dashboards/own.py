"""A dashboard's figures of the organisation's own work: signals, home visits and referrals
(sent by a corporation, received by a partner), per period and per partner."""

from collections import defaultdict

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cases.models import DashboardTally
from cases.models.dashboards import ON_TIME
from cases.selectors.dashboards.filters import MAX_NEIGHBOURHOOD_COLUMNS, percentile, total
from cases.selectors.dashboards.tables import Cell, Table
from cases.workflow import DeclineReason, ReferralOutcome, ReferralStatus, VisitOutcome
from partners.models import Organisation

Figure = DashboardTally.Figure
Kind = Organisation.Kind


class OwnFigures:
    """Mixed into the Builder (builder.py), which gives where(), grouped() and the rows."""

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
                [Figure.REFERRALS], category="both", partner="organisation_id", partner_id=self.own
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
        grid, totals = defaultdict(int), defaultdict(int)
        for row in rows:
            if row["category_id"] is None:
                totals[row["period_start"]] += row["n"]
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
            rows=self.period_rows(grid, keys, with_total=with_total, totals=totals or None)
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
                [Figure.SIGNALS], category="all", per_area=True, organisation_id=self.own
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
                return cells + (total(cells),)

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
                Cell(percentile(histogram, 50)),
                Cell(percentile(histogram, 90)),
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
