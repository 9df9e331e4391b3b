"""A dashboard's figures of what is open now: signals by age, open referrals, caseload per
worker, and joint cases opened and closed."""

from collections import defaultdict

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import DashboardTally
from cases.models.dashboards import ACCEPTED, AGE_BANDS, OVERDUE, WAITING
from cases.selectors.dashboards.filters import CHART_PEOPLE, total
from cases.selectors.dashboards.tables import Cell, Row, Table
from partners.models import Organisation, User

Figure = DashboardTally.Figure
Grain = DashboardTally.Grain
Kind = Organisation.Kind

AGE_LABELS = (
    ("week", gettext_lazy("up to a week")),
    ("month", gettext_lazy("a week to a month")),
    ("quarter", gettext_lazy("1 to 3 months")),
    ("half_year", gettext_lazy("3 to 6 months")),
    ("older", gettext_lazy("more than 6 months")),
)


class NowFigures:
    """Mixed into the Builder (builder.py)."""

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
            return cells + (total(cells),)

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
            rows.append(Row(names.get(person, "?"), cells + (total(cells),)))
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
