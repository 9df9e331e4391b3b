"""The parts every section of the AVG overview is made of: the context it reads, the section it
returns, and how a value reads."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from cases.models import Household
from partners.models import Membership


@dataclass
class Context:
    actor: Membership
    household: Household
    own: bool  # the household is the organisation's own tenant
    visible: bool  # the organisation may see the household's data now
    limit: int | None  # rows per section on the page; None: all (the export)
    # The household and those merged into it (ADR 0026): the records that stay where they
    # happened (history, emergency accesses, the access log) are read for all of them.
    household_ids: list[int] = field(default_factory=list)
    absorbed: list[Household] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return self.household_ids or [self.household.pk]


@dataclass
class Section:
    key: str
    title: str
    fields: list[tuple[str, str]]  # (key, label) of each column
    rows: list[dict]
    total: int = 0
    note: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.rows)

    @property
    def table(self) -> list[list[tuple[str, str]]]:
        """Each row as (label, text) per column, formatted once here: a document of tens of
        thousands of rows renders without a template filter per cell."""
        labels = [label for _key, label in self.fields]
        keys = [key for key, _label in self.fields]
        return [
            list(zip(labels, (display(row.get(key)) for key in keys), strict=True))
            for row in self.rows
        ]

    def as_data(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "fields": dict(self.fields),
            "rows": self.rows,
            "note": self.note,
        }


def display(value) -> str:
    """A value as a person reads it: dates in words, amounts in the language's notation, yes or
    no, nothing for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _rows(context: Context, queryset, build: Callable) -> tuple[list[dict], int]:
    total = queryset.count()
    items = queryset if context.limit is None else queryset[: context.limit]
    return [build(item) for item in items], total


def _section(key, title, fields, context, queryset, build, note="") -> Section:
    rows, total = _rows(context, queryset, build)
    return Section(key=key, title=str(title), fields=fields, rows=rows, total=total, note=note)


def _f(*pairs) -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in pairs]


def _labels(field) -> Callable[[str], str]:
    """A field's choice labels, translated once per section (get_FOO_display() per row costs
    seconds on a long history)."""
    labels = {value: str(label) for value, label in field.choices}
    return lambda value: labels.get(value, value or "")
