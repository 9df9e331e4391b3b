"""What the dashboard's filters offer the actor: its agreements and partners, the
neighbourhoods and categories with figures, and when the tallies were last counted."""

from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet

from cases.models import Agreement, DashboardRefresh, DashboardTally, SignalCategory
from partners.models import Membership, Neighbourhood, Organisation

Figure = DashboardTally.Figure
Grain = DashboardTally.Grain


def dashboard_agreements(*, actor: Membership) -> list[Agreement]:
    """The actor's organisation's agreements, ended ones too (their referrals still count)."""
    return list(
        Agreement.objects.visible_to(actor).select_related("first", "second").order_by("pk")
    )


def dashboard_partners(*, actor: Membership) -> QuerySet:
    """Organisations the actor's organisation has, or had, an agreement with."""
    agreements = Agreement.objects.visible_to(actor)
    return (
        Organisation.objects.filter(
            Q(pk__in=agreements.values("first")) | Q(pk__in=agreements.values("second"))
        )
        .exclude(pk=actor.organisation_id)
        .order_by("name")
    )


def dashboard_filter_choices(*, actor: Membership, refreshed_at) -> dict[str, list]:
    """The filters' options as (id, label), cached until the tallies are counted again: a
    large organisation has hundreds of neighbourhoods, and the page is asked for often."""
    counted = refreshed_at.timestamp() if refreshed_at else "none"
    key = f"dashboard-choices:{actor.organisation_id}:{counted}"
    choices = cache.get(key)
    if choices is None:
        partners = list(dashboard_partners(actor=actor).values_list("pk", "name"))
        used = set(
            DashboardTally.objects.filter(
                organisation_id__in=[actor.organisation_id, *(pk for pk, _name in partners)],
                figure=Figure.AREAS,
                grain=Grain.NOW,
            ).values_list("neighbourhood_id", flat=True)
        )
        districts = Neighbourhood.objects.filter(pk__in=used).values("parent_id")
        areas = Neighbourhood.objects.filter(Q(pk__in=used) | Q(pk__in=districts)).order_by(
            "municipality", "name"
        )
        choices = {
            "neighbourhood": [
                (pk, f"{name} ({town})")
                for pk, name, town in areas.values_list("pk", "name", "municipality")
            ],
            "category": list(dashboard_categories().values_list("pk", "name")),
            "partner": partners,
        }
        cache.set(key, choices, timeout=2 * settings.DASHBOARD_REFRESH_SECONDS)
    return choices


def dashboard_categories() -> QuerySet:
    return SignalCategory.objects.all()


def dashboard_refreshed_at() -> datetime | None:
    """When the tallies were last counted; None before the first count."""
    return DashboardRefresh.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
