"""Celery tasks of cases: take ids, re-fetch, call a service; safe to run twice."""

from celery import shared_task

from cases import imports
from cases.services import dashboards


@shared_task(acks_late=True)
def household_import(import_id: int) -> None:
    """Import a checked household file. A second run (retry, duplicate message) does nothing:
    the run claims the import with a guarded update from validated to running."""
    imports.household_import_run(import_id=import_id)


@shared_task
def household_imports_sweep() -> None:
    """Queue imports again whose task was lost; empty files not imported within 7 days."""
    imports.household_imports_sweep()


@shared_task
def dashboard_refresh(full: bool = False) -> None:
    """Count the dashboards' tallies again (Celery beat): what changed since the last run, or
    everything. Two runs at once wait for each other; a second run only makes them newer."""
    dashboards.dashboard_refresh(full=full)
