"""What a dashboard is made of: sections of tables. Every figure is a table of cells, from which
the page draws the chart and the table beside it, and the exports write CSV and Excel. One
shape for all three, so the chart, the table and the files cannot disagree."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

SUPPRESSED = "<5"


@dataclass(frozen=True)
class Cell:
    """A number, or None when there is nothing to count (a median of no responses), or
    suppressed: fewer than 5 households of another organisation (see
    cases.selectors.dashboards.across.shown)."""

    value: int | None = None
    suppressed: bool = False

    @property
    def text(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        return "" if self.value is None else str(self.value)

    @property
    def html(self) -> SafeString:
        """The cell as the table shows it (written here: a big table has thousands)."""
        if self.suppressed:
            return format_html(
                '<abbr title="{}">&lt;5</abbr>',
                gettext("fewer than 5 households of another organisation"),
            )
        return mark_safe(escape(self.text) or "–")  # noqa: S308 - escaped

    @property
    def chart_value(self) -> int | None:
        """What the chart draws: nothing for a suppressed or empty cell."""
        return None if self.suppressed else self.value


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass
class Table:
    """One figure. `chart` names the chart's type; `charted` the columns it draws (a total
    column is left out); `notes` say what is counted and which filters apply."""

    key: str  # the figure's slug in URLs and file names
    title: str
    row_header: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    chart: str = "bar"  # bar | line
    stacked: bool = False
    horizontal: bool = False
    charted: list[int] | None = None
    chart_rows: int | None = None  # the chart draws only the first rows (the table has all)
    notes: list[str] = field(default_factory=list)
    across_organisations: bool = False

    @property
    def has_suppressed(self) -> bool:
        return any(cell.suppressed for row in self.rows for cell in row.cells)

    @property
    def is_empty(self) -> bool:
        return not any(cell.value for row in self.rows for cell in row.cells)

    @property
    def wide(self) -> bool:
        """More than three columns: the table goes under the chart, not beside it."""
        return len(self.columns) > 3

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def rows_html(self) -> SafeString:
        """The table's body, written here: a large organisation's table has thousands of cells,
        and a template loop over them costs more than the figures themselves."""
        return format_html_join(
            "",
            '<tr{}><th scope="row">{}</th>{}</tr>',
            (
                (
                    mark_safe(' class="total"') if row.is_total else "",
                    row.label,
                    format_html_join("", "<td>{}</td>", ((cell.html,) for cell in row.cells)),
                )
                for row in self.rows
            ),
        )

    def chart_spec(self) -> dict:
        """The JSON static/js/charts.js draws: labels, one dataset per charted column; totals
        and suppressed cells are not drawn."""
        charted = self.charted if self.charted is not None else range(len(self.columns))
        rows = [row for row in self.rows if not row.is_total][: self.chart_rows]
        return {
            "type": self.chart,
            "labels": [row.label for row in rows],
            "datasets": [
                {"label": self.columns[i], "data": [row.cells[i].chart_value for row in rows]}
                for i in charted
            ],
            "stacked": self.stacked,
            "horizontal": self.horizontal,
        }

    def as_rows(self) -> list[list]:
        """Header and rows as plain values, for the exports: numbers as numbers, "<5" as
        text, nothing as an empty cell."""
        lines = [[self.row_header, *self.columns]]
        for row in self.rows:
            lines.append(
                [row.label]
                + [
                    SUPPRESSED if cell.suppressed else ("" if cell.value is None else cell.value)
                    for cell in row.cells
                ]
            )
        return lines


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
