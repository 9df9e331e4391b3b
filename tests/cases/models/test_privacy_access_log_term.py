"""The access log's term waits in the database too (issue 15, items 1 and 2; migration 0019):
connected as the application's role, a shorter term cannot hold before its announced date, nor
be announced for less than a day ahead, and the row cannot be deleted or moved; lengthening,
announcing and, once the date has come, putting the new term in force all work."""

import datetime

import psycopg
import pytest
from django.utils import timezone

from cases.models import RetentionTerm
from cases.services.retention import retention_terms_ensure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def term(db):
    retention_terms_ensure()
    return RetentionTerm.objects.get(kind="access_log")


def as_app(app_role_connect, statement, params=()):
    with app_role_connect().cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cases_retentionterm SET months = 12 WHERE kind = 'access_log'",
        "UPDATE cases_retentionterm SET pending_months = 12, pending_from = now()"
        " WHERE kind = 'access_log'",
        "UPDATE cases_retentionterm SET pending_months = 12,"
        " pending_from = now() + interval '2 hours' WHERE kind = 'access_log'",
        "DELETE FROM cases_retentionterm WHERE kind = 'access_log'",
        "UPDATE cases_retentionterm SET kind = 'visits' WHERE kind = 'access_log'",
    ],
)
def test_the_application_role_cannot_shorten_the_logs_term_at_once(
    app_role_connect, term, statement
):
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="retention term"):
        as_app(app_role_connect, statement)
    term.refresh_from_db()
    assert (term.months, term.pending_months) == (60, None)


def test_the_application_role_lengthens_announces_and_later_puts_in_force(app_role_connect, term):
    as_app(app_role_connect, "UPDATE cases_retentionterm SET months = 72 WHERE id = %s", [term.pk])
    soon = timezone.now() + datetime.timedelta(days=14)
    as_app(
        app_role_connect,
        "UPDATE cases_retentionterm SET pending_months = 24, pending_from = %s WHERE id = %s",
        [soon, term.pk],
    )
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_app(
            app_role_connect, "UPDATE cases_retentionterm SET months = 24 WHERE id = %s", [term.pk]
        )
    # The date has come (the owner moves it back here, as the clock would).
    RetentionTerm.objects.filter(pk=term.pk).update(pending_from=timezone.now())
    as_app(
        app_role_connect,
        "UPDATE cases_retentionterm SET months = pending_months, pending_months = NULL,"
        " pending_from = NULL WHERE id = %s",
        [term.pk],
    )
    term.refresh_from_db()
    assert (term.months, term.pending_months) == (24, None)
    # An organisation's own terms are not held by this rule.
    as_app(
        app_role_connect,
        "INSERT INTO cases_retentionterm (kind, months, organisation_id, updated_at)"
        " SELECT 'visits', 1, id, now() FROM partners_organisation LIMIT 1",
    )


def test_the_application_role_writes_log_rows_now_and_no_removals(
    app_role_connect, corporation_worker
):
    """A row the application role adds is dated now whatever it says, and a row claiming a
    removal ("prune") is the owner's only (migration 0019)."""
    from cases.models import AccessLog

    long_ago = timezone.now() - datetime.timedelta(days=400)
    insert = (
        "INSERT INTO cases_accesslog (at, user_id, role, organisation_id, action, object_type,"
        " object_id, legal_basis, origin, detail) VALUES"
        " (%s, %s, 'medewerker', %s, %s, '', '', 'geen', '', '{}')"
    )
    params = [long_ago, corporation_worker.user_id, corporation_worker.organisation_id]
    as_app(app_role_connect, insert, [*params, "view"])
    row = AccessLog.objects.get()
    assert timezone.now() - row.at < datetime.timedelta(minutes=5), "not backdated"
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="owner"):
        as_app(app_role_connect, insert, [*params, "prune"])
    assert AccessLog.objects.count() == 1
