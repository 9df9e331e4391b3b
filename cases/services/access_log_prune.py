"""Removing access-log rows past the log's retention term (ADR 0010, 0017): the one sanctioned
removal from the log. It runs as the database's owner role through `manage.py access_log_prune`
(the application role may not DELETE from the log), and writes a row about itself into the log:
how many rows went and from before which moment. The log's trigger checks each row's age again."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access.log import log_installation
from cases.models import AccessLog, RetentionTerm
from cases.selectors.retention import retention_months
from cases.services.retention import (
    retention_cutoff,
    retention_terms_ensure,
    retention_terms_promote,
)

ORIGIN = "manage.py access_log_prune"


@dataclass(frozen=True)
class AccessLogPruned:
    removed: int
    cutoff: datetime
    months: int
    row: AccessLog  # the log's own row about this removal


def _database_role() -> str:
    """The role connected now, named in the log row (PostgreSQL); empty on SQLite."""
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


def _may_delete() -> bool:
    """SQLite has no roles (its trigger is the guard); on PostgreSQL only the owner role holds
    DELETE on the log, never the application role."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege(current_user, %s, 'DELETE')", [AccessLog._meta.db_table]
        )
        return bool(cursor.fetchone()[0])


@transaction.atomic
def access_log_prune(*, now: datetime | None = None) -> AccessLogPruned:
    """Remove the access-log rows past the log's term and log the removal, in one transaction.
    Refused, before anything is touched, to a role that may not delete from the log."""
    if not _may_delete():
        raise ValidationError(
            _(
                "This database role may not remove rows from the access log. Run "
                "access_log_prune with the owner role's DATABASE_URL, not the application's."
            )
        )
    now = now or timezone.now()
    retention_terms_ensure()
    # A shorter term whose date has come is put in force first: the trigger reads the term in
    # force, and would refuse the whole DELETE for a row only the new term allows.
    retention_terms_promote(now=now)
    months = retention_months(organisation_id=None, kind=RetentionTerm.Kind.ACCESS_LOG, at=now)
    cutoff = retention_cutoff(months=months, now=now)
    # One DELETE (nothing refers to the log); the trigger checks each row's age again.
    removed, _per_model = AccessLog.objects.filter(at__lt=cutoff).delete()
    row = log_installation(
        action=AccessLog.Action.PRUNE,
        detail={
            "removed": removed,
            "cutoff": cutoff.isoformat(),
            "months": months,
            "database_role": _database_role(),
        },
        origin=ORIGIN,
    )
    return AccessLogPruned(removed=removed, cutoff=cutoff, months=months, row=row)
