"""Retention (ADR 0010, 0015): the terms each data controller sets for what it holds (and the
installation for its access log), the nightly job that anonymises what is past its term, and
the anonymisation itself, which erasure on request uses too.

Anonymising empties names, contact data and free text and keeps every row, status, category,
date and link, so the counts that dashboards need stay the same. The access log is the one
table whose rows are removed, past its term, by the owner role and not by this job, which runs
as the application role (cases.services.access_log_prune, ADR 0017)."""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Case, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    CaseAction,
    CaseNote,
    Consent,
    EmergencyAccess,
    EmergencyAccessRequest,
    HelpMatch,
    HelpRequest,
    HomeVisit,
    HouseholdEvent,
    JointCase,
    Referral,
    RetentionTerm,
    Signal,
    SupportPackage,
)
from cases.models.history import FREE_TEXT_KEYS
from cases.models.privacy import BOUNDS, CONTROLLER_KINDS, DEFAULT_MONTHS
from cases.selectors.retention import (
    ANONYMISED_SUMMARY,
    ANONYMISED_TEXT,
    COVERED,
    months_before,
    retention_terms_by_organisation,
)
from cases.services.notices import privacy_officers_notify
from cases.workflow import PackageItem, PackageStatus
from partners.models import Membership, Notification, Organisation, User

logger = logging.getLogger(__name__)
Kind = RetentionTerm.Kind
BATCH = 2000
# The job's clock and the database's may differ a little: the job stays a day behind the term,
# so the trigger never refuses a row the job thought old enough.
MARGIN = timedelta(days=1)


# --- terms -----------------------------------------------------------------------------------


def retention_terms_ensure() -> None:
    """Add the installation's access-log term when it has none (a fresh or flushed database):
    its trigger deletes nothing without that row. Case data needs no rows: an organisation
    without its own term has the default."""
    RetentionTerm.objects.get_or_create(
        kind=Kind.ACCESS_LOG,
        organisation=None,
        defaults={"months": DEFAULT_MONTHS[Kind.ACCESS_LOG]},
    )


def _check_months(months: dict[str, int], kinds: list[str]) -> None:
    errors = {}
    for kind, value in months.items():
        if kind not in kinds:
            raise ValidationError(_("Unknown kind of data."))
        low, high = BOUNDS[kind]
        if not isinstance(value, int) or not low <= value <= high:
            errors[kind] = _("Choose between %(low)s and %(high)s months.") % {
                "low": low,
                "high": high,
            }
    if errors:
        raise ValidationError(errors)


def _terms_change(
    *, organisation_id: int | None, months: dict[str, int], user_id: int, now: datetime
) -> list[RetentionTerm]:
    """Change one controller's terms: a longer term holds at once (it removes nothing); a
    shorter one waits RETENTION_CHANGE_DELAY_DAYS; setting the term in force again withdraws a
    waiting change. Returns the terms that changed."""
    current = {
        term.kind: term
        for term in RetentionTerm.objects.select_for_update().filter(
            organisation_id=organisation_id, kind__in=list(months)
        )
    }
    effective = now + timedelta(days=settings.RETENTION_CHANGE_DELAY_DAYS)
    changed = []
    for kind, value in months.items():
        term = current.get(kind) or RetentionTerm(
            kind=kind, organisation_id=organisation_id, months=DEFAULT_MONTHS[kind]
        )
        waiting = term.pending_months
        if value == term.months:
            if waiting is None:
                continue
            # The term in force again: the waiting shorter one is withdrawn.
            term.pending_months = term.pending_from = term.pending_by_id = None
        elif value > term.months:
            term.months, term.updated_by_id, term.updated_at = value, user_id, now
            term.pending_months = term.pending_from = term.pending_by_id = None
        elif value == waiting:
            continue
        else:
            term.pending_months, term.pending_from, term.pending_by_id = value, effective, user_id
        term.save()
        changed.append(term)
    return changed


def _announce(
    *, organisation_ids: list[int], changed: list[RetentionTerm], now: datetime, holder: str = ""
) -> None:
    """Tell the privacy officers of these organisations, with the date the change holds; whose
    terms they are is `holder`, or each organisation itself."""
    from_dates = [t.pending_from for t in changed if t.pending_from] or [now]
    effective = timezone.localdate(min(from_dates)).isoformat()
    stamp = now.strftime("%Y%m%d%H%M%S%f")
    for organisation_id in organisation_ids:
        name = holder or Organisation.objects.values_list("name", flat=True).get(pk=organisation_id)
        privacy_officers_notify(
            organisation_id=organisation_id,
            kind=Notification.Kind.RETENTION_CHANGED,
            url=reverse("privacy:retention_terms"),
            data={"organisation": name, "effective": effective},
            dedupe_key=f"retention:{organisation_id}:{stamp}",
        )


KEEPERS = (Membership.Role.BEHEERDER, Membership.Role.PRIVACYFUNCTIONARIS)


@transaction.atomic
def retention_terms_save(
    *, actor: Membership, organisation_id: int, months: dict[str, int]
) -> list[RetentionTerm]:
    """Set an organisation's terms for the records it holds (its administrators and privacy
    officers; nobody else's). A shorter term waits RETENTION_CHANGE_DELAY_DAYS; every change
    is announced to the organisation's privacy officers. Returns the terms that changed."""
    if actor.organisation_id != organisation_id or actor.role not in KEEPERS:
        raise PermissionDenied(
            _("Only the organisation's own administrators and privacy officers set its terms.")
        )
    _check_months(months, CONTROLLER_KINDS)
    # The organisation's row is the lock: two first saves (no term rows yet to lock) take
    # turns instead of both inserting.
    Organisation.objects.select_for_update().filter(pk=organisation_id).exists()
    now = timezone.now()
    changed = _terms_change(
        organisation_id=organisation_id, months=months, user_id=actor.user_id, now=now
    )
    if changed:
        _announce(organisation_ids=[organisation_id], changed=changed, now=now)
    return changed


@transaction.atomic
def access_log_term_save(*, user: User, months: int) -> list[RetentionTerm]:
    """Set the installation's access-log term (installation administrators). A shorter term
    waits RETENTION_CHANGE_DELAY_DAYS; every organisation's privacy officers are told."""
    if not user.is_installation_admin:
        raise PermissionDenied(_("Only an installation administrator sets this term."))
    _check_months({Kind.ACCESS_LOG: months}, [Kind.ACCESS_LOG])
    retention_terms_ensure()  # the row exists, so select_for_update below takes turns
    now = timezone.now()
    changed = _terms_change(
        organisation_id=None, months={Kind.ACCESS_LOG: months}, user_id=user.pk, now=now
    )
    if changed:
        organisations = Organisation.objects.order_by("pk").values_list("pk", flat=True)
        _announce(organisation_ids=list(organisations), changed=changed, now=now, holder="Inclusie")
    return changed


def retention_terms_promote(*, now: datetime) -> int:
    """Put the shorter terms whose date has come in force (the nightly run, before applying
    them). Returns how many. The database holds the access log's term to its announced date by
    its own clock (migration 0019): a term it refuses waits for the next run."""
    promoted = 0
    for term in RetentionTerm.objects.filter(pending_from__lte=now):
        term.months, term.updated_by_id, term.updated_at = (
            term.pending_months,
            term.pending_by_id,
            term.pending_from,
        )
        term.pending_months = term.pending_from = term.pending_by_id = None
        try:
            with transaction.atomic():
                term.save()
        except DatabaseError:
            logger.warning("retention term %s not yet in force by the database's clock", term.pk)
            continue
        promoted += 1
    return promoted


# --- anonymising -------------------------------------------------------------------------------


def _ids(queryset: QuerySet) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def strip_event_text(events: QuerySet) -> int:
    """Remove the free-text keys from the data of these history events."""
    changed, count = [], 0
    for event in events.filter(data__has_any_keys=list(FREE_TEXT_KEYS)).only("pk", "data"):
        event.data = {k: v for k, v in event.data.items() if k not in FREE_TEXT_KEYS}
        changed.append(event)
        if len(changed) >= BATCH:
            count += HouseholdEvent.objects.bulk_update(changed, ["data"])
            changed = []
    if changed:
        count += HouseholdEvent.objects.bulk_update(changed, ["data"])
    return count


def _households(model, ids: list[int], field: str = "household_id") -> set[int]:
    found = set()
    for chunk in _chunks(ids):
        found |= set(model.objects.filter(pk__in=chunk).values_list(field, flat=True))
    return found


def anonymise_signals(signals: QuerySet) -> set[int]:
    """Empty the description and reason of these signals and of their history, and the text of
    the requests for informal help made from them; category, severity, status and dates stay.
    Returns the households touched."""
    ids = _ids(signals)
    households = _households(Signal, ids)
    for chunk in _chunks(ids):
        strip_event_text(HouseholdEvent.objects.filter(signal_id__in=chunk))
        Signal.objects.filter(pk__in=chunk).update(description="", closed_reason="")
        # A request for informal help is part of the signal it came from (ADR 0033).
        anonymise_help_requests(HelpRequest.objects.filter(signal_id__in=chunk))
    return households


def anonymise_visits(visits: QuerySet) -> set[int]:
    ids = _ids(visits)
    households = _households(HomeVisit, ids)
    for chunk in _chunks(ids):
        HomeVisit.objects.filter(pk__in=chunk).update(notes="")
    return households


def anonymise_referrals(referrals: QuerySet, organisation_ids: list[int] | None = None) -> set[int]:
    """Empty the message, reason for declining and note on the outcome; status, outcome, legal
    basis and dates stay. With organisation_ids only what those organisations hold: the
    sender's message, the receiver's reason and note (ADR 0015)."""
    ids = _ids(referrals)
    households = _households(Referral, ids)
    for chunk in _chunks(ids):
        rows = Referral.objects.filter(pk__in=chunk)
        events = HouseholdEvent.objects.filter(referral_id__in=chunk)
        if organisation_ids is None:
            strip_event_text(events)
            rows.update(message="", decline_reason="", outcome_note="")
            continue
        strip_event_text(events.filter(organisation_id__in=organisation_ids))
        rows.filter(from_organisation_id__in=organisation_ids).update(message="")
        rows.filter(to_organisation_id__in=organisation_ids).update(
            decline_reason="", outcome_note=""
        )
    return households


def anonymise_consents(consents: QuerySet) -> set[int]:
    ids = _ids(consents)
    households = _households(Consent, ids)
    for chunk in _chunks(ids):
        Consent.objects.filter(pk__in=chunk).update(purpose="")
    return households


def anonymise_joint_cases(cases: QuerySet, organisation_ids: list[int] | None = None) -> set[int]:
    """Empty the notes, the actions' descriptions and, of a closed case, the closing summary;
    participants, the plan's dates and the statuses stay. With organisation_ids only what those
    organisations hold: their own notes and actions, and the summary of the cases they
    coordinate (ADR 0015)."""
    ids = _ids(cases)
    households = _households(JointCase, ids)
    for chunk in _chunks(ids):
        events = HouseholdEvent.objects.filter(data__case__in=chunk)
        notes = CaseNote.objects.filter(case_id__in=chunk).exclude(text="")
        actions = CaseAction.objects.filter(case_id__in=chunk).exclude(description="")
        closed = JointCase.objects.filter(pk__in=chunk, status=JointCase.Status.CLOSED)
        if organisation_ids is not None:
            events = events.filter(organisation_id__in=organisation_ids)
            notes = notes.filter(organisation_id__in=organisation_ids)
            actions = actions.filter(owner_organisation_id__in=organisation_ids)
            closed = closed.filter(coordinator_organisation_id__in=organisation_ids)
        strip_event_text(events)
        notes.update(text="")
        # A request for informal help is part of the action it came from (ADR 0033).
        anonymise_help_requests(HelpRequest.objects.filter(action__in=actions))
        actions.update(description="")
        closed.update(closing_summary=ANONYMISED_SUMMARY)
    return households


def anonymise_packages(packages: QuerySet) -> set[int]:
    """Empty the description and the reason for declining, and the reason in the history; item,
    amount, payer, status and dates stay, so the ledger's counts and sums do too. A package of
    "other" keeps "-" as its description and a declined one as its reason (constraints)."""
    ids = _ids(packages)
    households = _households(SupportPackage, ids)
    for chunk in _chunks(ids):
        strip_event_text(HouseholdEvent.objects.filter(data__package__in=chunk))
        SupportPackage.objects.filter(pk__in=chunk).update(
            description=Case(
                When(item=PackageItem.ANDERS, then=Value(ANONYMISED_TEXT)), default=Value("")
            ),
            decline_reason=Case(
                When(status=PackageStatus.AFGEWEZEN, then=Value(ANONYMISED_TEXT)),
                default=Value(""),
            ),
        )
    return households


def anonymise_help_requests(requests: QuerySet) -> set[int]:
    """Empty what a request for informal help says (what, where, why it closed) and why its
    matches ended; kind, dates, statuses and the hours of help given stay (ADR 0033)."""
    ids = _ids(requests)
    households = _households(HelpRequest, ids)
    for chunk in _chunks(ids):
        HelpRequest.objects.filter(pk__in=chunk).update(description="", place="", close_reason="")
        HelpMatch.objects.filter(request_id__in=chunk).update(end_reason="")
    return households


def anonymise_history(events: QuerySet) -> set[int]:
    ids = _ids(events)
    households = _households(HouseholdEvent, ids)
    for chunk in _chunks(ids):
        strip_event_text(HouseholdEvent.objects.filter(pk__in=chunk))
    return households


def anonymise_emergency(accesses: QuerySet) -> set[int]:
    ids = _ids(accesses)
    households = _households(EmergencyAccess, ids)
    for chunk in _chunks(ids):
        EmergencyAccess.objects.filter(pk__in=chunk).update(reason="")
    return households


def anonymise_emergency_requests(
    *, cutoff: datetime, organisation_ids: list[int] | None
) -> tuple[int, set[int]]:
    """The requests for emergency access past the limit (ADR 0018) go with the emergency term
    of the worker's organisation, counted from the request: its reason and the reason for
    refusing are emptied. Returns how many, and the households touched."""
    requests = EmergencyAccessRequest.objects.filter(requested_at__lt=cutoff).exclude(
        reason="", refusal_reason=""
    )
    if organisation_ids is not None:
        requests = requests.filter(organisation_id__in=organisation_ids)
    ids = _ids(requests)
    households = _households(EmergencyAccessRequest, ids)
    for chunk in _chunks(ids):
        EmergencyAccessRequest.objects.filter(pk__in=chunk).update(reason="", refusal_reason="")
    return len(ids), households


ANONYMISE = {
    Kind.SIGNALS: anonymise_signals,
    Kind.VISITS: anonymise_visits,
    Kind.REFERRALS: anonymise_referrals,
    Kind.CONSENTS: anonymise_consents,
    Kind.JOINT_CASES: anonymise_joint_cases,
    Kind.PACKAGES: anonymise_packages,
    Kind.HISTORY: anonymise_history,
    Kind.EMERGENCY: anonymise_emergency,
}


# --- the nightly job ---------------------------------------------------------------------------


def retention_cutoff(*, months: int, now: datetime) -> datetime:
    return months_before(now, months) - MARGIN


PER_PART = {Kind.REFERRALS, Kind.JOINT_CASES}


@transaction.atomic
def retention_apply(
    *, kind: str, months: int, now: datetime, organisation_ids: list[int] | None = None
) -> int:
    """Anonymise the records of one kind past their term, of the organisations given (the
    controllers whose term this is; not the access log: see access_log_prune). Each household
    touched gets one event saying so. Returns how many
    records changed."""
    covered = COVERED[kind]
    cutoff = retention_cutoff(months=months, now=now)
    if kind == Kind.ACCESS_LOG:
        raise ValueError("the access log is pruned by access_log_prune, as the owner role")
    due = covered.candidates().filter(covered.past(cutoff))
    if organisation_ids is not None:
        due = due.filter(covered.held_by(organisation_ids))
    count, households = due.count(), set()
    if kind == Kind.EMERGENCY:
        count, households = anonymise_emergency_requests(
            cutoff=cutoff, organisation_ids=organisation_ids
        )
        count += due.count()
    if not count:
        return 0
    if kind in PER_PART:
        households |= ANONYMISE[kind](due, organisation_ids)
    else:
        households |= ANONYMISE[kind](due)
    HouseholdEvent.objects.bulk_create(
        [
            HouseholdEvent(
                household_id=household_id,
                kind=HouseholdEvent.Kind.DATA_ANONYMISED,
                at=now,
                data={"retention": kind, "months": months},
            )
            for household_id in sorted(households)
        ],
        batch_size=BATCH,
    )
    return count


def retention_run(*, now: datetime | None = None) -> dict[str, int]:
    """Put the shorter terms whose date has come in force, then apply every controller's terms,
    kind by kind and term by term (each in its own transaction): an organisation's records go
    by its own terms, never by another's (ADR 0015). Safe to run twice: what was anonymised no
    longer matches, so a second run changes nothing."""
    now = now or timezone.now()
    retention_terms_ensure()
    retention_terms_promote(now=now)
    done = {}
    for kind, by_organisation in retention_terms_by_organisation(at=now).items():
        groups = defaultdict(list)
        for organisation_id, months in by_organisation.items():
            groups[months].append(organisation_id)
        done[kind] = sum(
            retention_apply(kind=kind, months=months, now=now, organisation_ids=organisations)
            for months, organisations in sorted(groups.items())
        )
    # The access log is not here: the application role may not delete from it, the owner
    # role's access_log_prune does.
    logger.info("retention run: %s", done)
    return done
