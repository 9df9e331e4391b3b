"""Celery tasks of cases: take ids, re-fetch, call a service; safe to run twice."""

from celery import shared_task

from cases.services import (
    access_reports,
    dashboards,
    emergency,
    help_given,
    imports,
    links,
    notices,
    retention,
)
from partners.tasks import MAIL_RETRY


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
def deadlines_check() -> int:
    """Hourly: referral deadlines near or passed (escalation) and case actions past due. Safe to
    run twice: each reminder has a key that lets a person get it once."""
    return notices.deadlines_check()


@shared_task
def retention_run() -> None:
    """Anonymise what is past its retention term (the access log's rows past theirs are removed
    by `manage.py access_log_prune`, as the owner role). A second run the same night finds
    nothing left to do."""
    retention.retention_run()


@shared_task
def access_reports_daily() -> None:
    """Yesterday's report of unusual access per organisation; a second run adds nothing."""
    access_reports.access_reports_daily()


@shared_task
def emergency_weeks_notify() -> int:
    """Monday: each organisation's privacy officers hear of last week's emergency accesses and
    requests by its people (ADR 0018); a second run tells nobody twice."""
    return emergency.emergency_weeks_notify()


@shared_task
def dashboard_refresh(full: bool = False) -> None:
    """Count the dashboards' tallies again (Celery beat): what changed since the last run, or
    everything. Two runs at once wait for each other; a second run only makes them newer."""
    dashboards.dashboard_refresh(full=full)


@shared_task(**MAIL_RETRY)
def link_mail_deliver(link_id: int) -> bool:
    """Mail a personal link with a token made now; retried with backoff while the mail server
    cannot be reached; a second run finds it sent."""
    return links.link_mail_deliver(link_id=link_id)


@shared_task
def link_mails_sweep() -> int:
    """Every minute: queue again the links' mails that could not be queued (Redis down)."""
    return links.link_mails_sweep()


@shared_task
def help_matches_remind() -> int:
    """Daily: the workers of agreed matches of informal help that have been quiet hear of it,
    once per quiet period (ADR 0035); a second run tells nobody twice."""
    return help_given.help_matches_remind()
