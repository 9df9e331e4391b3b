"""Reads of what the costs-and-savings ledger weighs (ADR 0009): the hours of shared workers,
entered per month or taken from the agreed split, and what administrators set: their hourly
rate, their estimates of avoided costs and the split of their shared workers' hours."""

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.models import AvoidedCost, HourlyRate, HoursSplit, HoursSplitShare, WorkedHours
from cases.models.ledger import add_months, first_of_month
from partners.models import Membership, Organisation, User

CENT = Decimal("0.01")
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
ENTERED, SPLIT = "entered", "split"


def in_force(versions: list, month: date):
    """The version (sorted by valid_from) that applies in a month, or None."""
    index = bisect_right([v.valid_from for v in versions], month)
    return versions[index - 1] if index else None


def group_versions(rows, key) -> dict:
    grouped = defaultdict(list)
    for row in sorted(rows, key=lambda r: r.valid_from):
        grouped[key(row)].append(row)
    return grouped


# --- hours of shared workers ------------------------------------------------------------------


def shared_hours(
    *, months: list[date], user_id: int | None = None, organisation_ids: set[int] | None = None
) -> dict[tuple[int, int, date], tuple[Decimal, str]]:
    """(person, organisation, month) → (hours, "entered" or "split"). A month in which the person
    entered hours takes those; another month takes the agreed split in force, for the
    organisations the person was a member of in that month. Only for one person, or only the
    hours of `organisation_ids` (the ledger's), when given. Four queries."""
    if not months:
        return {}
    entered = WorkedHours.objects.filter(month__in=months)
    splits = HoursSplit.objects.filter(valid_from__lte=months[-1]).prefetch_related("shares")
    memberships_of = Membership.objects.all()
    if user_id is not None:
        entered, splits = entered.filter(user_id=user_id), splits.filter(user_id=user_id)
    if organisation_ids is not None:
        entered = entered.filter(organisation_id__in=organisation_ids)
        # Every version of the split of a person who shares hours with one of them: a later
        # version without a share for them still ends the earlier one.
        splits = splits.filter(
            user_id__in=HoursSplitShare.objects.filter(organisation_id__in=organisation_ids).values(
                "split__user_id"
            )
        )
        memberships_of = memberships_of.filter(organisation_id__in=organisation_ids)
    result = {}
    entered_months = set()
    for row in entered:
        result[(row.user_id, row.organisation_id, row.month)] = (row.hours, ENTERED)
        entered_months.add((row.user_id, row.month))
    by_user = group_versions(list(splits), key=lambda s: s.user_id)
    memberships = defaultdict(list)
    for user, organisation, started, ended in memberships_of.filter(
        user_id__in=list(by_user)
    ).values_list("user_id", "organisation_id", "started_at", "ended_at"):
        memberships[(user, organisation)].append(
            (timezone.localtime(started).date(), ended and timezone.localtime(ended).date())
        )
    for user, versions in by_user.items():
        for month in months:
            split = in_force(versions, month)
            if split is None or (user, month) in entered_months:
                continue
            month_end = add_months(month, 1) - timedelta(days=1)
            per_month = split.hours_per_week * WEEKS_PER_MONTH
            for share in split.shares.all():
                member = any(
                    started <= month_end and (ended is None or ended >= month)
                    for started, ended in memberships[(user, share.organisation_id)]
                )
                if member:
                    hours = (per_month * share.percent / 100).quantize(CENT)
                    result[(user, share.organisation_id, month)] = (hours, SPLIT)
    return result


@dataclass
class HoursMonth:
    month: date
    hours: list  # (organisation, hours or None) in the order of the page's organisations
    source: str  # "entered", "split" or ""


def hours_overview(*, user_id: int, organisations: list[Organisation], months: list[date]):
    """A person's hours per month and organisation, newest month first, for their hours page."""
    hours = shared_hours(months=months, user_id=user_id)
    rows = []
    for month in reversed(months):
        cells = [hours.get((user_id, o.pk, month)) for o in organisations]
        sources = {cell[1] for cell in cells if cell}
        rows.append(
            HoursMonth(
                month=month,
                hours=[
                    (organisation, cell[0] if cell else None)
                    for organisation, cell in zip(organisations, cells, strict=True)
                ],
                source=ENTERED if ENTERED in sources else (SPLIT if sources else ""),
            )
        )
    return rows


# --- what administrators set, and the shared workers ------------------------------------------


def rates_of(*, actor: Membership) -> list[HourlyRate]:
    """The hourly rates of the actor's organisation, newest first."""
    return list(
        HourlyRate.objects.filter(organisation_id=actor.organisation_id)
        .select_related("set_by")
        .order_by("-valid_from")
    )


def estimates_of(*, actor: Membership) -> list[AvoidedCost]:
    """The actor's organisation's estimates of avoided costs, per category, newest first."""
    return list(
        AvoidedCost.objects.filter(organisation_id=actor.organisation_id)
        .select_related("category", "set_by")
        .order_by("category__position", "category__name", "-valid_from")
    )


def estimate_get(*, actor: Membership, pk: int) -> AvoidedCost:
    """One estimate of the actor's organisation (404 for another organisation's)."""
    return get_object_or_404(
        AvoidedCost.objects.select_related("category"),
        pk=pk,
        organisation_id=actor.organisation_id,
    )


def organisations_of_person(*, user_id: int) -> list[Organisation]:
    """The organisations a person is an active member of, by name."""
    return list(
        Organisation.objects.filter(
            memberships__user_id=user_id,
            memberships__ended_at__isnull=True,
            memberships__user__is_active=True,
        )
        .distinct()
        .order_by("name")
    )


def shared_workers(*, actor: Membership) -> list[User]:
    """People of the actor's organisation who are also active members of another one, each with
    `organisations` and the agreed split in force now (`split`, or None)."""
    own = Membership.objects.active().filter(organisation_id=actor.organisation_id)
    people = list(
        User.objects.filter(pk__in=own.values("user_id"))
        .annotate(
            organisation_count=Count(
                "memberships__organisation",
                filter=Q(memberships__ended_at__isnull=True),
                distinct=True,
            )
        )
        .filter(organisation_count__gt=1)
        .order_by("name")
    )
    this_month = first_of_month(timezone.localdate())
    splits = group_versions(
        HoursSplit.objects.filter(user__in=people)
        .select_related("recorded_by", "recorded_for")
        .prefetch_related("shares__organisation"),
        key=lambda s: s.user_id,
    )
    memberships = defaultdict(list)
    for membership in (
        Membership.objects.active()
        .filter(user__in=people)
        .select_related("organisation")
        .order_by("organisation__name")
    ):
        memberships[membership.user_id].append(membership.organisation)
    for person in people:
        person.organisations = memberships[person.pk]
        versions = splits.get(person.pk, [])
        person.split = in_force(versions, this_month) or (versions[-1] if versions else None)
    return people


def shared_worker_get(*, actor: Membership, pk: int) -> User:
    """A shared worker of the actor's organisation (404 for anyone else)."""
    for person in shared_workers(actor=actor):
        if person.pk == pk:
            return person
    raise Http404


def hours_of_month(*, user_id: int, organisations: list[Organisation], month: date) -> dict:
    """What a person's hours page fills in for a month: the hours entered, else the split
    rounded to quarters of an hour (so the form can be saved as it is)."""
    hours = shared_hours(months=[month], user_id=user_id)
    filled = {}
    for organisation in organisations:
        value, source = hours.get((user_id, organisation.pk, month), (None, ""))
        if value is not None and source == SPLIT:
            value = (value * 4).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 4
        if value is not None:
            filled[f"org_{organisation.pk}"] = value
    return filled
