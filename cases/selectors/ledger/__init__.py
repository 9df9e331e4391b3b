"""The costs-and-savings ledger (wederkerigheid, ADR 0009).

Per period: what the actor's organisation and each partner it has an agreement with invested
(hours of shared workers × the organisation's hourly rate, and the support packages it paid that
were delivered), and the costs each is estimated to avoid thanks to the other's work. Aggregates
only, no household data, and a fixed number of queries whatever the number of signals."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BigIntegerField, Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    Agreement,
    AvoidedCost,
    HelpGiven,
    HourlyRate,
    Referral,
    Signal,
    SignalCategory,
    SupportPackage,
)
from cases.models.ledger import Period, first_of_month
from cases.selectors.ledger.costs import CENT, group_versions, in_force, shared_hours
from cases.workflow import PackageStatus, ReferralOutcome, ReferralStatus, SignalStatus
from partners.models import Membership, Organisation

ZERO = Decimal("0.00")
# A count of another organisation's households under this shows as "<5" (PRODUCT.md).
SMALL_COUNT = 5


# --- the ledger -------------------------------------------------------------------------------


@dataclass
class Investment:
    """What one organisation put in during the period."""

    organisation: Organisation
    hours: Decimal = ZERO
    hours_cost: Decimal = ZERO
    rates: set = field(default_factory=set)
    missing_rate: bool = False
    packages: Decimal = ZERO
    package_count: int = 0
    # Informal help given under the matches of this organisation's requests (ADR 0035): hours,
    # not money; with the households helped of another organisation than the reader's.
    informal_minutes: int = 0
    informal_others: int = 0

    @property
    def informal_hours(self) -> Decimal:
        return (Decimal(self.informal_minutes) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def informal_suppressed(self) -> bool:
        return 0 < self.informal_others < SMALL_COUNT

    @property
    def total(self) -> Decimal:
        return self.hours_cost + self.packages

    @property
    def rate_list(self) -> list[Decimal]:
        return sorted(self.rates)


@dataclass
class Pair:
    """The reader's organisation and one partner: what each invested, and what each is estimated
    to save thanks to the other's work."""

    own: Investment
    partner: Investment
    # None when a suppressed amount is part of it: the total would give that amount away.
    partner_saves: Decimal | None = ZERO  # the partner saves thanks to the reader's organisation
    own_saves: Decimal | None = ZERO  # the reader's organisation saves thanks to the partner

    @property
    def balance(self) -> Decimal | None:
        """Above zero: the partner saves more thanks to the reader's organisation than the
        other way round; None when one side is not shown."""
        if self.partner_saves is None or self.own_saves is None:
            return None
        return self.partner_saves - self.own_saves

    @property
    def balance_size(self) -> Decimal | None:
        balance = self.balance
        return None if balance is None else abs(balance)


@dataclass
class Saving:
    """Resolved signals of one category, one estimate: who saves (bears the avoided cost) and
    thanks to whom (whose work resolved them)."""

    category: SignalCategory
    bearer: Organisation
    resolver: Organisation
    estimate: AvoidedCost
    count: int = 0
    others: int = 0  # of them, signals of households of another organisation than the reader's
    # Households of other organisations, per corporation: the most in any one month, a lower
    # bound of the distinct households (one household may recur in several months), so that a
    # cell is suppressed when in doubt, never shown with fewer than five households.
    other_households: dict = field(default_factory=dict)

    @property
    def suppressed(self) -> bool:
        return self.others > 0 and sum(self.other_households.values()) < SMALL_COUNT

    @property
    def total(self) -> Decimal:
        return (self.estimate.amount * self.count).quantize(CENT)


@dataclass
class Ledger:
    organisation: Organisation
    period: Period
    investments: list[Investment]
    pairs: list[Pair]
    savings: list[Saving]

    @property
    def has_suppressed(self) -> bool:
        return any(s.suppressed for s in self.savings)

    @property
    def has_informal_help(self) -> bool:
        return any(i.informal_minutes for i in self.investments)

    @property
    def has_missing_rates(self) -> bool:
        return any(i.missing_rate for i in self.investments)

    def invested_chart(self) -> dict:
        return {
            "type": "bar",
            "horizontal": True,
            "stacked": True,
            "labels": [i.organisation.name for i in self.investments],
            "datasets": [
                {
                    "label": _("Shared workers' hours"),
                    "data": [float(i.hours_cost) for i in self.investments],
                },
                {
                    "label": _("Support packages"),
                    "data": [float(i.packages) for i in self.investments],
                },
            ],
        }

    def savings_chart(self) -> dict:
        # Short labels: the legend of a chart on a phone does not wrap.
        return {
            "type": "bar",
            "horizontal": True,
            "labels": [p.partner.organisation.name for p in self.pairs],
            "datasets": [
                {
                    "label": _("Partner saves thanks to us (estimate)"),
                    "data": [_bar(p.partner_saves) for p in self.pairs],
                },
                {
                    "label": _("We save thanks to the partner (estimate)"),
                    "data": [_bar(p.own_saves) for p in self.pairs],
                },
            ],
        }


def _bar(amount: Decimal | None) -> float | None:
    """A chart bar; None (no bar) for a total that would give a suppressed amount away."""
    return None if amount is None else float(amount)


def ledger_partners(*, organisation_id: int, period: Period) -> set[int]:
    """Organisations with an agreement with this one during (part of) the period."""
    pairs = (
        Agreement.objects.filter(Q(first_id=organisation_id) | Q(second_id=organisation_id))
        .filter(valid_from__lte=period.end)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=period.start))
        .values_list("first_id", "second_id")
    )
    return {pk for pair in pairs for pk in pair} - {organisation_id}


def bearer_scopes(*, organisations: dict[int, Organisation], period: Period) -> dict[int, set]:
    """Whose tenants each organisation bears avoided costs for (ADR 0009): a corporation its own
    households only; any other organisation (a municipality, welfare, care) the households of the
    corporations it has an agreement with during the period, as the model knows no municipality
    of an organisation. One query."""
    ids = set(organisations)
    scopes = {
        pk: {pk} if o.kind == Organisation.Kind.CORPORATIE else set()
        for pk, o in organisations.items()
    }
    corporation = Organisation.Kind.CORPORATIE
    for first, first_kind, second, second_kind in (
        Agreement.objects.filter(Q(first_id__in=ids) | Q(second_id__in=ids))
        .filter(valid_from__lte=period.end)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=period.start))
        .values_list("first_id", "first__kind", "second_id", "second__kind")
    ):
        if second_kind == corporation and first in scopes and first_kind != corporation:
            scopes[first].add(second)
        if first_kind == corporation and second in scopes and second_kind != corporation:
            scopes[second].add(first)
    return scopes


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _resolved(
    period: Period, organisation_ids: set[int], category_ids: set[int], corporation_ids: set[int]
) -> list[dict]:
    """Signals of the households of `corporation_ids` resolved in the period, counted per
    category, resolving organisation, the household's corporation and month, with the number of
    distinct households (for own work a lower bound: all households less those a referral
    helped). The resolving
    organisation is the receiver of the latest completed referral of the signal whose outcome
    was 'helped'; otherwise the household's corporation, whose own workers resolved it.

    Two grouped queries: all resolved signals, and the few a referral helped (a correlated
    subquery for every resolved signal would be slow at scale); the corporation's own are the
    difference."""
    resolved = Signal.objects.filter(
        status=SignalStatus.OPGELOST,
        status_changed_at__gte=_moment(period.start),
        status_changed_at__lt=_moment(period.end + timedelta(days=1)),
        category_id__in=category_ids,
        household__corporation_id__in=corporation_ids,
    ).annotate(month=TruncMonth("status_changed_at"))
    helped_referrals = Referral.objects.filter(
        status=ReferralStatus.AFGEROND, outcome=ReferralOutcome.GEHOLPEN
    )
    latest_helper = (
        helped_referrals.filter(signals=OuterRef("pk"))
        .order_by("-closed_at", "-pk")
        .values("to_organisation_id")[:1]
    )
    key = ("category_id", "household__corporation_id", "month")
    helped = list(
        resolved.filter(pk__in=helped_referrals.values("signals"))
        .annotate(resolver=Subquery(latest_helper, output_field=BigIntegerField()))
        .values(*key, "resolver")
        .annotate(count=Count("pk"), households=Count("household", distinct=True))
        .order_by()
    )
    by_others = defaultdict(int)
    households_by_others = defaultdict(int)
    for row in helped:
        by_others[tuple(row[k] for k in key)] += row["count"]
        households_by_others[tuple(row[k] for k in key)] += row["households"]
    rows = [row for row in helped if row["resolver"] in organisation_ids]
    for row in (
        resolved.values(*key)
        .annotate(count=Count("pk"), households=Count("household", distinct=True))
        .order_by()
    ):
        group = tuple(row[k] for k in key)
        own = row["count"] - by_others[group]
        if own and row["household__corporation_id"] in organisation_ids:
            households = max(1, row["households"] - households_by_others[group])
            rows.append(
                {
                    **row,
                    "resolver": row["household__corporation_id"],
                    "count": own,
                    "households": households,
                }
            )
    return rows


def ledger_for(*, actor: Membership, period: Period) -> Ledger:
    """The ledger of the actor's organisation and its partners over a period (thirteen
    queries)."""
    own_id = actor.organisation_id
    ids = {own_id} | ledger_partners(organisation_id=own_id, period=period)
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    investments = {pk: Investment(organisation=o) for pk, o in organisations.items()}
    months = period.months()

    rates = group_versions(
        HourlyRate.objects.filter(organisation_id__in=ids), key=lambda r: r.organisation_id
    )
    for (_user, organisation_id, month), (hours, _source) in shared_hours(
        months=months, organisation_ids=ids
    ).items():
        if organisation_id not in investments or not hours:
            continue
        investment = investments[organisation_id]
        investment.hours += hours
        rate = in_force(rates.get(organisation_id, []), month)
        if rate is None:
            investment.missing_rate = True
            continue
        investment.rates.add(rate.amount)
        investment.hours_cost += (hours * rate.amount).quantize(CENT)

    for row in (
        SupportPackage.objects.filter(
            status=PackageStatus.GELEVERD,
            paying_organisation_id__in=ids,
            delivered_on__range=(period.start, period.end),
        )
        .values("paying_organisation_id")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by()
    ):
        investment = investments[row["paying_organisation_id"]]
        investment.packages, investment.package_count = row["total"], row["count"]

    for row in (
        HelpGiven.objects.filter(
            given_on__range=(period.start, period.end), match__request__organisation_id__in=ids
        )
        .values("match__request__organisation_id", "match__request__household__corporation_id")
        .annotate(
            minutes=Sum("minutes"), households=Count("match__request__household", distinct=True)
        )
        .order_by()
    ):
        investment = investments[row["match__request__organisation_id"]]
        investment.informal_minutes += row["minutes"]
        if row["match__request__household__corporation_id"] != own_id:
            investment.informal_others += row["households"]

    estimates = group_versions(
        AvoidedCost.objects.filter(organisation_id__in=ids).select_related("category"),
        key=lambda e: (e.organisation_id, e.category_id),
    )
    savings: dict[tuple[int, int], Saving] = {}
    categories = {category for _bearer, category in estimates}
    # Only what a bearer with an estimate bears: not every resolved signal in the country.
    scopes = bearer_scopes(organisations=organisations, period=period)
    bearers = {bearer for bearer, _category in estimates}
    corporations = set().union(*(scopes[b] for b in bearers)) if bearers else set()
    for row in _resolved(period, ids, categories, corporations):
        month = first_of_month(timezone.localtime(row["month"]).date())
        resolver = row["resolver"]
        for bearer in ids:
            if bearer == resolver or own_id not in (bearer, resolver):
                continue
            if row["household__corporation_id"] not in scopes[bearer]:
                continue  # nobody saves on households it bears no costs for
            estimate = in_force(estimates.get((bearer, row["category_id"]), []), month)
            if estimate is None or not estimate.amount:
                continue
            saving = savings.setdefault(
                (estimate.pk, resolver),
                Saving(
                    category=estimate.category,
                    bearer=organisations[bearer],
                    resolver=organisations[resolver],
                    estimate=estimate,
                ),
            )
            saving.count += row["count"]
            corporation = row["household__corporation_id"]
            if corporation != own_id:
                saving.others += row["count"]
                saving.other_households[corporation] = max(
                    saving.other_households.get(corporation, 0), row["households"]
                )

    own = investments[own_id]
    pairs = []
    for partner in sorted((i for pk, i in investments.items() if pk != own_id), key=_by_name):
        pair = Pair(own=own, partner=partner)
        partner_side = [
            s
            for s in savings.values()
            if s.bearer.pk == partner.organisation.pk and s.resolver.pk == own_id
        ]
        own_side = [
            s
            for s in savings.values()
            if s.bearer.pk == own_id and s.resolver.pk == partner.organisation.pk
        ]
        pair.partner_saves = _side_total(partner_side)
        pair.own_saves = _side_total(own_side)
        pairs.append(pair)
    return Ledger(
        organisation=own.organisation,
        period=period,
        investments=[own, *(p.partner for p in pairs)],
        pairs=pairs,
        savings=sorted(
            savings.values(),
            key=lambda s: (
                s.bearer.name,
                s.category.position,
                s.category.name,
                s.resolver.name,
                s.estimate.valid_from,
            ),
        ),
    )


def _side_total(savings: list[Saving]) -> Decimal | None:
    """What one side of a pair saves; None when a suppressed amount is part of it, since the
    total less the amounts shown would give it away (ADR 0009)."""
    if any(s.suppressed for s in savings):
        return None
    return sum((s.total for s in savings), ZERO)


def _by_name(investment: Investment) -> str:
    return investment.organisation.name
