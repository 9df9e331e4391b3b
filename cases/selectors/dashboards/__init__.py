"""Reads of the managers' dashboards (ADR 0013): every figure from the tallies the beat job
counts, for the actor's own organisation, and aggregates of partners in an agreement in
which a cell counting 1 to 4 households of another organisation shows "<5" (`shown`, the one
place that rule lives: the page, the chart and both exports read its cells).

A dashboard costs the same few queries whatever the size of the data; a computed one is cached
until the next count (its time is part of the cache key)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from cases.access.log import log_access
from cases.models import AccessLog, Agreement, DashboardRefresh, DashboardTally, SignalCategory
from cases.selectors.dashboards.filters import (
    DashboardFilters,
)
from cases.selectors.dashboards.tables import Table
from partners.models import Membership, Neighbourhood, Organisation

Figure = DashboardTally.Figure
Grain = DashboardTally.Grain


# --- What the filters offer -----------------------------------------------------------------------


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


# --- The dashboard --------------------------------------------------------------------------------


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


def dashboard_key(*, actor: Membership, filters: DashboardFilters, refreshed_at) -> str:
    """What a computed dashboard (and its page) is cached under: the organisation, the
    language, the time the tallies were counted and the filters."""
    counted = refreshed_at.timestamp() if refreshed_at else "none"
    return f"dashboard:{actor.organisation_id}:{get_language()}:{counted}:{filters.cache_key()}"


def dashboard_get(
    *, actor: Membership, filters: DashboardFilters, refreshed_at: datetime | None = None
) -> Dashboard:
    """The actor's organisation's dashboard for these filters, from the cache when the tallies
    have not been counted again since it was computed."""
    refreshed_at = refreshed_at or dashboard_refreshed_at()
    key = dashboard_key(actor=actor, filters=filters, refreshed_at=refreshed_at)
    dashboard = cache.get(key)
    if dashboard is None:
        from cases.selectors.dashboards.builder import Builder

        dashboard = Builder(actor, filters, refreshed_at).build()
        cache.set(key, dashboard, timeout=2 * settings.DASHBOARD_REFRESH_SECONDS)
    return dashboard


def dashboard_export(
    *, actor: Membership, filters: DashboardFilters, key: str, file_format: str
) -> Table | None:
    """One figure's table for an export, or None when the dashboard has no such figure. The
    export is logged: aggregates hold no household, so the access-log row names none (legal
    basis "no household data") and records the figure, the format and the filters."""
    table = dashboard_get(actor=actor, filters=filters).table(key)
    if table is not None:
        log_access(
            actor=actor,
            action=AccessLog.Action.EXPORT,
            detail={
                "dashboard": key,
                "format": file_format,
                "filters": filters.as_log(),
                "suppressed_cells": sum(c.suppressed for r in table.rows for c in r.cells),
            },
            legal_basis=AccessLog.LegalBasis.NONE,
        )
    return table
