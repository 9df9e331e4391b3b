"""A dashboard's figures across organisations, for the partners in an agreement, and the
small-cell rule (`shown`): the one place it lives, so the page, the chart and both exports,
which all read these cells, cannot disagree."""

from collections import defaultdict

from django.utils.translation import gettext as _

from cases.models import DashboardTally
from cases.selectors.dashboards.filters import period_label
from cases.selectors.dashboards.tables import Cell, Row, Table
from partners.models import Organisation

Figure = DashboardTally.Figure
Kind = Organisation.Kind

SMALL_CELL = 5  # fewer households than this, of another organisation, show as "<5"


def shown(value: int, *, other_households: int) -> Cell:
    """The small-cell rule for figures across organisations: a cell that counts 1 to 4
    households of another organisation shows "<5"; a cell of the own organisation's
    households only (other_households 0) shows its number."""
    if 0 < other_households < SMALL_CELL:
        return Cell(suppressed=True)
    return Cell(value)


class AcrossFigures:
    """Mixed into the Builder (builder.py)."""

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
