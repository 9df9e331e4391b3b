"""Reads of the managers' dashboards (ADR 0013): every figure from the tallies the beat job
counts, for the actor's own organisation, and aggregates of partners in an agreement in
which a cell counting 1 to 4 households of another organisation shows "<5" (`shown`, the one
place that rule lives: the page, the chart and both exports read its cells).

A dashboard costs the same few queries whatever the size of the data; a computed one is cached
until the next count (its time is part of the cache key)."""

import logging
import pickle
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from cases.access.log import log_access
from cases.models import AccessLog, DashboardTally
from cases.selectors.dashboards.builder import Builder
from cases.selectors.dashboards.filters import (
    DashboardFilters,
)
from cases.selectors.dashboards.offer import dashboard_refreshed_at
from cases.selectors.dashboards.tables import Dashboard, Table
from partners.models import Membership

logger = logging.getLogger(__name__)
Figure = DashboardTally.Figure
Grain = DashboardTally.Grain


# --- The dashboard --------------------------------------------------------------------------------


# A computed dashboard is kept in the cache as a pickle of the classes in tables.py: raise this
# when they move or change, so a process of the new code never reads one of the old.
SHAPE = 2
# What reading a pickle of classes that moved or changed raises.
UNREADABLE = (ImportError, AttributeError, TypeError, pickle.UnpicklingError)


def dashboard_key(*, actor: Membership, filters: DashboardFilters, refreshed_at) -> str:
    """What a computed dashboard (and its page) is cached under: the shape of its classes, the
    organisation, the language, the time the tallies were counted and the filters."""
    counted = refreshed_at.timestamp() if refreshed_at else "none"
    return (
        f"dashboard:{SHAPE}:{actor.organisation_id}:{get_language()}:{counted}:"
        f"{filters.cache_key()}"
    )


def dashboard_get(
    *, actor: Membership, filters: DashboardFilters, refreshed_at: datetime | None = None
) -> Dashboard:
    """The actor's organisation's dashboard for these filters, from the cache when the tallies
    have not been counted again since it was computed."""
    refreshed_at = refreshed_at or dashboard_refreshed_at()
    key = dashboard_key(actor=actor, filters=filters, refreshed_at=refreshed_at)
    try:
        dashboard = cache.get(key)
    except UNREADABLE:
        # Written by other code (a rolling deploy): computed again, as if it had expired.
        logger.warning("A cached dashboard could not be read; it is computed again.")
        dashboard = None
    if dashboard is None:
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
