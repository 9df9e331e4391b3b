"""Counting the dashboards' tallies (ADR 0013), figure by figure: one INSERT ... SELECT ...
GROUP BY each, built with the ORM so the same code runs on PostgreSQL and SQLite, once per
neighbourhood and once for all neighbourhoods (what an unfiltered dashboard reads). Response
times count Dutch working days, which SQL does not know: they are counted in Python from one
narrow read of the responded referrals. services.dashboards decides what to count when."""

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    DateField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from cases.models import (
    CaseParticipant,
    DashboardTally,
    HomeVisit,
    Household,
    JointCase,
    Referral,
    Signal,
)
from cases.models.dashboards import (
    ACCEPTED,
    AGE_BANDS,
    LATE,
    ON_TIME,
    OVERDUE,
    WAITING,
    bucket_end,
    bucket_start,
)
from cases.workdays import working_days_between
from cases.workflow import OPEN_STATUSES, REFERRAL_OPEN, ReferralStatus

Figure = DashboardTally.Figure
Grain = DashboardTally.Grain
COLUMNS = {
    "t_organisation": "organisation_id",
    "t_figure": "figure",
    "t_grain": "grain",
    "t_period": "period_start",
    "t_neighbourhood": "neighbourhood_id",
    "t_category": "category_id",
    "t_partner": "partner_id",
    "t_key": "key",
    "t_value": "value",
    "t_households": "households",
}
NO_ID = Cast(Value(None), output_field=BigIntegerField())
NO_DATE = Cast(Value(None), output_field=DateField())


def _bucket(path: str, grain: str, *, is_datetime: bool):
    """The week's Monday or the month's first day of a date, or of a moment in local time."""
    day = TruncDate(path, tzinfo=timezone.get_current_timezone()) if is_datetime else F(path)
    trunc = TruncWeek if grain == Grain.WEEK else TruncMonth
    return trunc(day, output_field=DateField())


Buckets = dict[date, set[int]]  # week or month start -> the organisations to count again


def _within(path: str, buckets: Buckets | None, grain: str, *, owner: str, is_datetime: bool) -> Q:
    """Source rows of these organisations whose date (or local day of a moment) falls in
    these weeks or months; everything when `buckets` is None."""
    if buckets is None:
        return Q()
    q = Q(pk__in=[])
    tz = timezone.get_current_timezone()
    for start, organisations in buckets.items():
        end = bucket_end(start, grain)
        if is_datetime:
            start = timezone.make_aware(datetime.combine(start, datetime.min.time()), tz)
            end = timezone.make_aware(datetime.combine(end, datetime.min.time()), tz)
        q |= Q(**{f"{path}__gte": start, f"{path}__lt": end, f"{owner}__in": organisations})
    return q


def _insert(
    source: QuerySet,
    *,
    figure: str,
    grain: str,
    organisation: str,
    neighbourhood: str,
    households: str,
    value=None,
    period=None,
    category: str | None = None,
    partner: str | None = None,
    key=None,
    per_neighbourhood_only: bool = False,
) -> int:
    """INSERT INTO the tallies the rows of a GROUP BY over `source`, per neighbourhood and for
    all neighbourhoods. Paths name the organisation, neighbourhood, category, partner and
    household of each source row."""
    rows = 0
    areas = (neighbourhood,) if per_neighbourhood_only else (neighbourhood, None)
    for area in areas:
        grouped = (
            source.order_by()
            .values(
                t_organisation=F(organisation),
                t_figure=Value(figure),
                t_grain=Value(grain),
                t_period=period if period is not None else NO_DATE,
                t_neighbourhood=F(area) if area else NO_ID,
                t_category=F(category) if category else NO_ID,
                t_partner=F(partner) if partner else NO_ID,
                t_key=key if key is not None else Value(""),
            )
            .annotate(
                t_value=value if value is not None else Count("pk"),
                t_households=Count(households, distinct=True),
            )
        )
        compiler = grouped.query.get_compiler(using=grouped.db)
        sql, params = compiler.as_sql()
        columns = ", ".join(
            connection.ops.quote_name(COLUMNS[alias]) for _expr, _sql, alias in compiler.select
        )
        table = connection.ops.quote_name(DashboardTally._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)  # noqa: S608
            rows += cursor.rowcount
    return rows


def count_signals(grain: str, buckets=None) -> int:
    within = _within(
        "created_at", buckets, grain, owner="household__corporation_id", is_datetime=True
    )
    common = {
        "figure": Figure.SIGNALS,
        "grain": grain,
        "period": _bucket("created_at", grain, is_datetime=True),
        "organisation": "household__corporation_id",
        "neighbourhood": "household__neighbourhood_id",
        "households": "household_id",
    }
    # Per category, and for all categories (what the chart per neighbourhood reads).
    signals = Signal.objects.filter(within)
    return _insert(signals, category="category_id", **common) + _insert(signals, **common)


def count_visits(grain: str, buckets=None) -> int:
    within = _within(
        "visited_on", buckets, grain, owner="household__corporation_id", is_datetime=False
    )
    return _insert(
        HomeVisit.objects.filter(within),
        figure=Figure.VISITS,
        grain=grain,
        period=_bucket("visited_on", grain, is_datetime=False),
        organisation="household__corporation_id",
        neighbourhood="household__neighbourhood_id",
        key=F("outcome"),
        households="household_id",
    )


def _referral_rows(source: QuerySet, **spec) -> int:
    """Referral figures, stored for the sender with the receiver as partner: once per category
    of the referred signals, and once for all categories (a referral about two categories
    counts once there)."""
    common = {
        "organisation": "from_organisation_id",
        "partner": "to_organisation_id",
        "neighbourhood": "household__neighbourhood_id",
        "households": "household_id",
        "value": Count("pk", distinct=True),
        **spec,
    }
    return _insert(source, category="signals__category_id", **common) + _insert(source, **common)


def count_referrals(grain: str, buckets=None) -> int:
    period = _bucket("sent_at", grain, is_datetime=True)
    referrals = Referral.objects.filter(
        _within("sent_at", buckets, grain, owner="from_organisation_id", is_datetime=True)
    )
    rows = _referral_rows(
        referrals, figure=Figure.REFERRALS, grain=grain, period=period, key=F("status")
    )
    rows += _referral_rows(referrals, figure=Figure.REFERRED, grain=grain, period=period)
    rows += _referral_rows(
        referrals.filter(status=ReferralStatus.AFGEWEZEN),
        figure=Figure.DECLINED,
        grain=grain,
        period=period,
        key=F("decline_category"),
    )
    rows += _referral_rows(
        referrals.filter(status=ReferralStatus.AFGEROND),
        figure=Figure.COMPLETED,
        grain=grain,
        period=period,
        key=F("outcome"),
    )
    return rows + _responses(grain, buckets)


def _responses(grain: str, buckets=None) -> int:
    """Working days from sending to the response (accepted or declined), and whether that was
    on or before the deadline, per week or month the referral was sent in."""
    tz = timezone.get_current_timezone()
    responded = Referral.objects.filter(
        _within("sent_at", buckets, grain, owner="from_organisation_id", is_datetime=True),
        responded_at__isnull=False,
    )
    categories = defaultdict(list)
    for referral_id, category_id in (
        Referral.signals.through.objects.filter(referral__in=responded)
        .values_list("referral_id", "signal__category_id")
        .distinct()
        .iterator(chunk_size=10_000)
    ):
        categories[referral_id].append(category_id)
    counts = Counter()
    days_between = {}
    fields = (
        "pk", "from_organisation_id", "to_organisation_id", "household__neighbourhood_id",
        "sent_at", "responded_at", "deadline",
    )  # fmt: skip
    for (
        pk,
        sender,
        receiver,
        neighbourhood,
        sent_at,
        responded_at,
        deadline,
    ) in responded.values_list(*fields).iterator(chunk_size=10_000):
        sent_on = timezone.localdate(sent_at, tz)
        responded_on = timezone.localdate(responded_at, tz)
        pair = (sent_on, responded_on)
        if pair not in days_between:
            days_between[pair] = working_days_between(sent_on, responded_on)
        on_time = ON_TIME if responded_on <= deadline else LATE
        start = bucket_start(sent_on, grain)
        for area in (neighbourhood, None):
            for category in (None, *categories.get(pk, ())):
                where = (sender, start, area, category, receiver)
                counts[(Figure.RESPONSE, *where, str(days_between[pair]))] += 1
                counts[(Figure.ON_TIME, *where, on_time)] += 1
    tallies = (
        DashboardTally(
            figure=figure,
            organisation_id=sender,
            grain=grain,
            period_start=start,
            neighbourhood_id=area,
            category_id=category,
            partner_id=receiver,
            key=key,
            value=count,
            households=count,  # not used: response times are never shown across organisations
        )
        for (figure, sender, start, area, category, receiver, key), count in counts.items()
    )
    return len(DashboardTally.objects.bulk_create(tallies, batch_size=5000))


def count_cases(grain: str, buckets=None) -> int:
    """Joint cases opened and closed, for each organisation taking part; once per other
    participant (the partner filter) and once for all."""
    rows = 0
    participants = CaseParticipant.objects.all()
    for key, moment in (("opened", "case__opened_at"), ("closed", "case__closed_at")):
        source = participants.filter(
            _within(moment, buckets, grain, owner="organisation_id", is_datetime=True),
            **{f"{moment}__isnull": False},
        )
        common = {
            "figure": Figure.CASES,
            "grain": grain,
            "period": _bucket(moment, grain, is_datetime=True),
            "organisation": "organisation_id",
            "neighbourhood": "case__household__neighbourhood_id",
            "households": "case__household_id",
            "value": Count("case_id", distinct=True),
            "key": Value(key),
        }
        rows += _insert(source, **common)
        rows += _insert(source, partner="case__participants__organisation_id", **common)
    return rows


# --- what is open now -------------------------------------------------------------------------


def _age_band(now):
    """Case expression: the age band of an open signal, by when it was opened."""
    whens = [
        When(created_at__gte=now - timedelta(days=days), then=Value(key))
        for key, days in AGE_BANDS
        if days is not None
    ]
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


def count_now(now) -> int:
    """What is open at the moment of the count, and where each organisation works."""
    today = timezone.localdate(now)
    rows = _insert(
        Household.objects.filter(merged_into__isnull=True),  # not the closed records, ADR 0026
        figure=Figure.AREAS,
        grain=Grain.NOW,
        organisation="corporation_id",
        neighbourhood="neighbourhood_id",
        households="pk",
        per_neighbourhood_only=True,
    )
    rows += _insert(
        Referral.objects.all(),
        figure=Figure.AREAS,
        grain=Grain.NOW,
        organisation="to_organisation_id",
        neighbourhood="household__neighbourhood_id",
        households="household_id",
        per_neighbourhood_only=True,
    )
    open_signals = Signal.objects.filter(status__in=OPEN_STATUSES)
    rows += _insert(
        open_signals,
        figure=Figure.OPEN_SIGNALS,
        grain=Grain.NOW,
        organisation="household__corporation_id",
        neighbourhood="household__neighbourhood_id",
        category="category_id",
        households="household_id",
        key=_age_band(now),
    )
    state = Case(
        When(status=ReferralStatus.GEACCEPTEERD, then=Value(ACCEPTED)),
        When(deadline__lt=today, then=Value(OVERDUE)),
        default=Value(WAITING),
        output_field=CharField(),
    )
    open_referrals = Referral.objects.filter(status__in=REFERRAL_OPEN)
    rows += _referral_rows(open_referrals, figure=Figure.OPEN_REFERRALS, grain=Grain.NOW, key=state)
    open_cases = CaseParticipant.objects.filter(case__status=JointCase.Status.OPEN)
    for partner in (None, "case__participants__organisation_id"):
        rows += _insert(
            open_cases,
            figure=Figure.OPEN_CASES,
            grain=Grain.NOW,
            organisation="organisation_id",
            partner=partner,
            neighbourhood="case__household__neighbourhood_id",
            households="case__household_id",
            value=Count("case_id", distinct=True),
        )
    rows += _insert(
        open_signals,
        figure=Figure.CASELOAD_SIGNALS,
        grain=Grain.NOW,
        organisation="organisation_id",
        neighbourhood="household__neighbourhood_id",
        households="household_id",
        key=Cast("created_by_id", output_field=CharField()),
    )
    rows += _insert(
        open_referrals.filter(assigned_to__isnull=False),
        figure=Figure.CASELOAD_REFERRALS,
        grain=Grain.NOW,
        organisation="to_organisation_id",
        neighbourhood="household__neighbourhood_id",
        households="household_id",
        key=Cast("assigned_to_id", output_field=CharField()),
    )
    rows += _insert(
        JointCase.objects.filter(status=JointCase.Status.OPEN, coordinator__isnull=False),
        figure=Figure.CASELOAD_CASES,
        grain=Grain.NOW,
        organisation="coordinator_organisation_id",
        neighbourhood="household__neighbourhood_id",
        households="household_id",
        key=Cast("coordinator_id", output_field=CharField()),
    )
    return rows
