"""The balance of the neighbourhood's own strength per complex (ADR 0035), for the managers of
a corporation and of a municipality: active helpers (dragers), households with an open request
(vragers), agreed matches and hours of help given, per month over the last twelve months; a
ratio per complex and a plain sign where requests outweigh helpers; and a "what if" for
allocation. Counts only, never persons; a cell counting 1 to 4 persons or households of another
organisation shows "<5" by the dashboards' one small-cell rule (`shown`).

Where: a helper by their own complex (Helper.complex); a request, a match and help given by the
complex of the household helped. Helpers who live in no complex of the corporation are counted
in a row of their own, "in the neighbourhood, not in a complex", and in the total: they help
the whole area, not one building. Which complexes: a corporation's own; for a municipality
those of the corporations it has an agreement with (as the ledger's bearers). Helpers outside
a complex: those registered by the manager's organisation and its partners in an agreement.

A fixed number of queries whatever the number of complexes, helpers or requests: each figure
is one grouped query with a count per month."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateTimeField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Complex, Helper, HelpGiven, HelpMatch, HelpRequest
from cases.models.ledger import Period, add_months, first_of_month
from cases.selectors.dashboards.across import shown
from cases.selectors.dashboards.tables import Cell, Row, Table
from cases.selectors.ledger import bearer_scopes, ledger_partners
from cases.workflow import HelperStatus, HelpRequestStatus
from partners.models import Membership, Organisation

MONTHS = 12
# The figures, in the order of the tables' columns.
HELPERS, ASKING, MATCHES, HOURS = "helpers", "asking", "matches", "hours"
FIGURES = (HELPERS, ASKING, MATCHES, HOURS)
NO_COMPLEX = None  # the key of helpers and households in no complex


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class Tally:
    """One figure in one place and month: the number, and how many of the persons or
    households behind it belong to another organisation (for the small-cell rule)."""

    value: int = 0
    others: int = 0
    per: int = 1  # hours are counted in minutes and shown in whole hours
    # A total whose parts include a "<5" is "<5" too: else subtracting the parts shown from
    # the total would give the hidden one back.
    covers_hidden: bool = False

    def add(self, other: "Tally") -> None:
        self.value += other.value
        self.others += other.others

    @property
    def shown_value(self) -> int:
        if self.per == 1:
            return self.value
        return int((Decimal(self.value) / self.per).quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def cell(self) -> Cell:
        if self.covers_hidden:
            return Cell(suppressed=True)
        return shown(self.shown_value, other_households=self.others)


def _sum(figure: str, tallies: dict, keys, index: int) -> Tally:
    total = Tally(per=60 if figure == HOURS else 1)
    for key in keys:
        if (key, index) in tallies:
            part = tallies[(key, index)]
            total.add(part)
            if len(keys) > 1:
                single = Tally(part.value, part.others, total.per)
                total.covers_hidden |= single.cell.suppressed
    return total


@dataclass
class Place:
    """A complex (or the neighbourhood outside them, or the total) now: the figures of the
    current month, and the ratio of households asking per active helper."""

    label: str
    key: int | None | str
    neighbourhood: str = ""
    now: dict = field(default_factory=dict)  # figure -> Tally

    def cell(self, figure: str) -> Cell:
        return self.now[figure].cell

    @property
    def known(self) -> bool:
        """Both sides of the ratio are shown (neither is "<5")."""
        return not self.cell(HELPERS).suppressed and not self.cell(ASKING).suppressed

    @property
    def ratio(self) -> Decimal | None:
        """Households with an open request per active helper; None when a side is not shown
        or there are no helpers."""
        helpers, asking = self.now[HELPERS].value, self.now[ASKING].value
        if not self.known or not helpers:
            return None
        return (Decimal(asking) / Decimal(helpers)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def outweighed(self) -> bool:
        """The plain sign: more households asking than helpers (only where both are shown)."""
        return self.known and self.now[ASKING].value > self.now[HELPERS].value


@dataclass
class Balance:
    organisation: Organisation
    months: list[date]
    places: list[Place]  # the complexes, the neighbourhood outside them, then the total
    history: Table  # the chosen place (or the total) month by month
    chosen: Place
    complexes: list[Complex]

    @property
    def total(self) -> Place:
        return self.places[-1]

    @property
    def has_suppressed(self) -> bool:
        return self.history.has_suppressed or any(
            p.cell(f).suppressed for p in self.places for f in FIGURES
        )

    def places_chart(self) -> dict:
        """Helpers against households asking, per complex now (not the total row)."""
        places = self.places[:-1]
        return {
            "type": "bar",
            "horizontal": True,
            "labels": [p.label for p in places],
            "datasets": [
                {
                    "label": _("Active helpers"),
                    "data": [p.cell(HELPERS).chart_value for p in places],
                },
                {
                    "label": _("Households with an open request"),
                    "data": [p.cell(ASKING).chart_value for p in places],
                },
            ],
        }


def _month_filters(months: list[date], *, start: str, end: str | None, extra=None) -> dict:
    """Per month: the rows begun before the month's end and not ended by then."""
    filters = {}
    for index, month in enumerate(months):
        month_end = _moment(add_months(month, 1))
        q = Q(**{f"{start}__lt": month_end})
        if end:
            q &= Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": month_end})
        if extra is not None and index == len(months) - 1:
            q &= extra
        filters[index] = q
    return filters


def _tallies(rows, *, place: str, owner: str, own_id: int, counted: str, others: str):
    """{(place, month index): Tally} from grouped rows with `m<i>` counts and `o<i>` counts of
    households or persons (for the small-cell rule)."""
    tallies = defaultdict(Tally)
    for row in rows:
        for index in range(MONTHS):
            value, persons = row[f"{counted}{index}"], row[f"{others}{index}"]
            if not value:
                continue
            foreign = persons if row[owner] != own_id else 0
            tallies[(row[place], index)].add(Tally(value, foreign))
    return tallies


def _helpers(*, months, complex_ids, organisation_ids, own_id):
    """Helpers with a confirmed offer not stopped by the month's end; now, not paused."""
    per_month = _month_filters(
        months,
        start="confirmed_at",
        end="stopped_at",
        extra=~Q(status=HelperStatus.PAUSED),
    )
    rows = (
        Helper.objects.filter(
            Q(complex_id__in=complex_ids)
            | Q(complex__isnull=True, organisation_id__in=organisation_ids)
        )
        .values("complex_id", "organisation_id")
        .annotate(**{f"m{i}": Count("pk", filter=q) for i, q in per_month.items()})
        .order_by()
    )
    return _tallies(
        rows, place="complex_id", owner="organisation_id", own_id=own_id, counted="m", others="m"
    )


def _asking(*, months, complex_ids, corporation_ids, own_id):
    """Households with a request made by the month's end, not closed and without a match
    agreed by then (a request whose match ended counts as open again only from now on)."""
    first_agreed = (
        HelpMatch.objects.filter(request=OuterRef("pk"), agreed_at__isnull=False)
        .order_by("agreed_at")
        .values("agreed_at")[:1]
    )
    per_month = _month_filters(months, start="created_at", end="closed_at")
    per_month[MONTHS - 1] = Q(status=HelpRequestStatus.OPEN)
    agreed = Q(agreed__isnull=True)
    for index, month in enumerate(months[:-1]):
        per_month[index] &= agreed | Q(agreed__gte=_moment(add_months(month, 1)))
    rows = (
        HelpRequest.objects.filter(
            Q(household__complex_id__in=complex_ids)
            | Q(household__complex__isnull=True, household__corporation_id__in=corporation_ids)
        )
        .annotate(agreed=Subquery(first_agreed, output_field=DateTimeField()))
        .values("household__complex_id", "household__corporation_id")
        .annotate(
            **{f"m{i}": Count("household", distinct=True, filter=q) for i, q in per_month.items()}
        )
        .order_by()
    )
    return _tallies(
        rows,
        place="household__complex_id",
        owner="household__corporation_id",
        own_id=own_id,
        counted="m",
        others="m",
    )


def _where(prefix: str, complex_ids, corporation_ids) -> Q:
    return Q(**{f"{prefix}household__complex_id__in": complex_ids}) | Q(
        **{
            f"{prefix}household__complex__isnull": True,
            f"{prefix}household__corporation_id__in": corporation_ids,
        }
    )


def _matches(*, months, complex_ids, corporation_ids, own_id):
    """Matches agreed by the month's end and not ended by then."""
    per_month = _month_filters(months, start="agreed_at", end="ended_at")
    annotations = {}
    for i, q in per_month.items():
        annotations[f"m{i}"] = Count("pk", filter=q)
        annotations[f"o{i}"] = Count("request__household", distinct=True, filter=q)
    rows = (
        HelpMatch.objects.filter(agreed_at__isnull=False)
        .filter(_where("request__", complex_ids, corporation_ids))
        .values("request__household__complex_id", "request__household__corporation_id")
        .annotate(**annotations)
        .order_by()
    )
    return _tallies(
        rows,
        place="request__household__complex_id",
        owner="request__household__corporation_id",
        own_id=own_id,
        counted="m",
        others="o",
    )


def _hours(*, months, complex_ids, corporation_ids, own_id):
    """Hours of help given in the month (the households helped, for the small-cell rule)."""
    place, owner = (
        "match__request__household__complex_id",
        "match__request__household__corporation_id",
    )
    index_of = {month: index for index, month in enumerate(months)}
    tallies = defaultdict(Tally)
    for row in (
        HelpGiven.objects.filter(given_on__gte=months[0])
        .filter(_where("match__request__", complex_ids, corporation_ids))
        .annotate(month=TruncMonth("given_on"))
        .values(place, owner, "month")
        .annotate(
            minutes=Sum("minutes"), households=Count("match__request__household", distinct=True)
        )
        .order_by()
    ):
        index = index_of.get(first_of_month(row["month"]))
        if index is None:
            continue
        foreign = row["households"] if row[owner] != own_id else 0
        tallies[(row[place], index)].add(Tally(row["minutes"], foreign))
    return tallies


def balance_months(today: date | None = None) -> list[date]:
    this_month = first_of_month(today or timezone.localdate())
    return [add_months(this_month, -n) for n in range(MONTHS - 1, -1, -1)]


@dataclass
class Scope:
    """What the actor's balance covers: its organisation and partners (whose helpers outside
    a complex count), the corporations whose complexes and households count, the complexes."""

    own: Organisation
    organisation_ids: set[int]
    corporation_ids: set[int]
    complexes: list[Complex]


def balance_scope(*, actor: Membership) -> Scope:
    """The scope of the actor's balance (three queries): a corporation its own complexes; a
    municipality those of the corporations it has an agreement with in the last twelve
    months."""
    own_id = actor.organisation_id
    months = balance_months()
    period = Period(months[0], months[-1])
    organisation_ids = {own_id} | ledger_partners(organisation_id=own_id, period=period)
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=organisation_ids)}
    corporation_ids = bearer_scopes(organisations=organisations, period=period)[own_id]
    complexes = list(
        Complex.objects.filter(corporation_id__in=corporation_ids)
        .select_related("neighbourhood")
        .order_by("neighbourhood__name", "name", "pk")
    )
    return Scope(organisations[own_id], organisation_ids, corporation_ids, complexes)


def balance_for(*, actor: Membership, scope: Scope, complex_id: int | None = None) -> Balance:
    """The balance of the actor's scope (balance_scope), now and month by month for one
    complex (or all together). Four queries more, whatever the numbers."""
    own_id = actor.organisation_id
    months = balance_months()
    organisation_ids, corporation_ids = scope.organisation_ids, scope.corporation_ids
    complexes = scope.complexes
    complex_ids = [c.pk for c in complexes]
    figures = {
        HELPERS: _helpers(
            months=months, complex_ids=complex_ids, organisation_ids=organisation_ids, own_id=own_id
        ),
        ASKING: _asking(
            months=months, complex_ids=complex_ids, corporation_ids=corporation_ids, own_id=own_id
        ),
        MATCHES: _matches(
            months=months, complex_ids=complex_ids, corporation_ids=corporation_ids, own_id=own_id
        ),
        HOURS: _hours(
            months=months, complex_ids=complex_ids, corporation_ids=corporation_ids, own_id=own_id
        ),
    }

    def place(label, key, keys, neighbourhood=""):
        now = {figure: _sum(figure, figures[figure], keys, MONTHS - 1) for figure in FIGURES}
        return Place(label=label, key=key, neighbourhood=neighbourhood, now=now)

    places = [place(c.name, c.pk, [c.pk], neighbourhood=c.neighbourhood.name) for c in complexes]
    places.append(place(_("In the neighbourhood, not in a complex"), "buiten", [NO_COMPLEX]))
    places.append(place(_("All together"), "totaal", [*complex_ids, NO_COMPLEX]))
    chosen = next((p for p in places if p.key == complex_id and complex_id), places[-1])
    keys = (
        [chosen.key]
        if chosen.key not in ("totaal", "buiten")
        else ([NO_COMPLEX] if chosen.key == "buiten" else [*complex_ids, NO_COMPLEX])
    )
    rows = []
    for index, month in enumerate(months):
        cells = tuple(_sum(figure, figures[figure], keys, index).cell for figure in FIGURES)
        rows.append(Row(date_format(month, "M Y"), cells))
    history = Table(
        key="balans-maanden",
        title=_("%(place)s, month by month") % {"place": chosen.label},
        row_header=_("Month"),
        columns=[
            _("Active helpers"),
            _("Households with an open request"),
            _("Agreed matches"),
            _("Hours of help given"),
        ],
        rows=rows,
        chart="line",
        across_organisations=True,
    )
    return Balance(
        organisation=scope.own,
        months=months,
        places=places,
        history=history,
        chosen=chosen,
        complexes=complexes,
    )


@dataclass(frozen=True)
class WhatIf:
    """A complex's ratio now and when `homes` more homes go to households likely to need help,
    on the stated assumption: each adds one household with an open request; helpers stay the
    same."""

    place: Place
    homes: int

    @property
    def asking_after(self) -> Cell:
        tally = self.place.now[ASKING]
        return shown(tally.value + self.homes, other_households=tally.others)

    @property
    def ratio_after(self) -> Decimal | None:
        helpers = self.place.now[HELPERS].value
        if not self.place.known or not helpers:
            return None
        asking = self.place.now[ASKING].value + self.homes
        return (Decimal(asking) / Decimal(helpers)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def outweighed_after(self) -> bool | None:
        """None when the helpers are not shown; otherwise whether households asking would
        outweigh helpers (certain when the new homes alone do)."""
        if self.place.cell(HELPERS).suppressed:
            return None
        helpers = self.place.now[HELPERS].value
        if self.homes > helpers:
            return True
        if not self.place.known:
            return None
        return self.place.now[ASKING].value + self.homes > helpers


def balance_what_if(*, balance: Balance, complex_id: int, homes: int) -> WhatIf | None:
    """The what-if for one complex of the balance (None for a complex it does not show)."""
    place = next((p for p in balance.places if p.key == complex_id), None)
    return None if place is None else WhatIf(place=place, homes=homes)
