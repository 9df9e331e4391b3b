"""Retention (ADR 0010): the terms administrators set, the nightly job that anonymises what is
past its term, and the anonymisation itself, which erasure on request uses too.

Anonymising empties names, contact data and free text and keeps every row, status, category,
date and link, so the counts that dashboards need stay the same. The access log is the one
table whose rows are removed, past its term, by the owner role and not by this job, which runs
as the application role (cases.services.access_log_prune, ADR 0017)."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    CaseAction,
    CaseNote,
    Consent,
    EmergencyAccess,
    HomeVisit,
    HouseholdEvent,
    JointCase,
    Referral,
    RetentionTerm,
    Signal,
    SupportPackage,
)
from cases.models.history import FREE_TEXT_KEYS
from cases.models.privacy import BOUNDS, DEFAULT_MONTHS
from cases.selectors.retention import (
    ANONYMISED_SUMMARY,
    ANONYMISED_TEXT,
    COVERED,
    months_before,
)
from cases.workflow import PackageItem, PackageStatus
from partners.models import Membership

logger = logging.getLogger(__name__)
Kind = RetentionTerm.Kind
BATCH = 2000
# The job's clock and the database's may differ a little: the job stays a day behind the term,
# so the trigger never refuses a row the job thought old enough.
MARGIN = timedelta(days=1)


# --- terms -----------------------------------------------------------------------------------


def retention_terms_ensure() -> dict[str, int]:
    """The months per kind, adding a default term for a kind that has none (a fresh or flushed
    database). The access log's trigger deletes nothing without its row."""
    terms = dict(RetentionTerm.objects.values_list("kind", "months"))
    missing = [
        RetentionTerm(kind=kind, months=DEFAULT_MONTHS[kind]) for kind in Kind if kind not in terms
    ]
    if missing:
        RetentionTerm.objects.bulk_create(missing, ignore_conflicts=True)
        terms = dict(RetentionTerm.objects.values_list("kind", "months"))
    return terms


@transaction.atomic
def retention_terms_save(*, actor: Membership, months: dict[str, int]) -> list[str]:
    """Set the terms (administrators). Returns the kinds that changed; each keeps who changed
    it and when."""
    if actor.role != Membership.Role.BEHEERDER:
        raise ValidationError(_("Only an administrator may set retention terms."))
    errors = {}
    for kind, value in months.items():
        if kind not in Kind.values:
            raise ValidationError(_("Unknown kind of data."))
        low, high = BOUNDS[kind]
        if not isinstance(value, int) or not low <= value <= high:
            errors[kind] = _("Choose between %(low)s and %(high)s months.") % {
                "low": low,
                "high": high,
            }
    if errors:
        raise ValidationError(errors)
    current = {term.kind: term for term in RetentionTerm.objects.select_for_update()}
    changed = []
    now = timezone.now()
    for kind, value in months.items():
        term = current.get(kind) or RetentionTerm(kind=kind, months=value)
        if term.pk is not None and term.months == value:
            continue
        term.months, term.updated_by_id, term.updated_at = value, actor.user_id, now
        term.save()
        changed.append(kind)
    return changed


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
    """Empty the description and reason of these signals and of their history; category,
    severity, status and dates stay. Returns the households touched."""
    ids = _ids(signals)
    households = _households(Signal, ids)
    for chunk in _chunks(ids):
        strip_event_text(HouseholdEvent.objects.filter(signal_id__in=chunk))
        Signal.objects.filter(pk__in=chunk).update(description="", closed_reason="")
    return households


def anonymise_visits(visits: QuerySet) -> set[int]:
    ids = _ids(visits)
    households = _households(HomeVisit, ids)
    for chunk in _chunks(ids):
        HomeVisit.objects.filter(pk__in=chunk).update(notes="")
    return households


def anonymise_referrals(referrals: QuerySet) -> set[int]:
    """Empty the message, reason for declining and note on the outcome; status, outcome, legal
    basis and dates stay."""
    ids = _ids(referrals)
    households = _households(Referral, ids)
    for chunk in _chunks(ids):
        strip_event_text(HouseholdEvent.objects.filter(referral_id__in=chunk))
        Referral.objects.filter(pk__in=chunk).update(message="", decline_reason="", outcome_note="")
    return households


def anonymise_consents(consents: QuerySet) -> set[int]:
    ids = _ids(consents)
    households = _households(Consent, ids)
    for chunk in _chunks(ids):
        Consent.objects.filter(pk__in=chunk).update(purpose="")
    return households


def anonymise_joint_cases(cases: QuerySet) -> set[int]:
    """Empty the notes, the actions' descriptions and, of a closed case, the closing summary;
    participants, the plan's dates and the statuses stay."""
    ids = _ids(cases)
    households = _households(JointCase, ids)
    for chunk in _chunks(ids):
        strip_event_text(HouseholdEvent.objects.filter(data__case__in=chunk))
        CaseNote.objects.filter(case_id__in=chunk).exclude(text="").update(text="")
        CaseAction.objects.filter(case_id__in=chunk).exclude(description="").update(description="")
        JointCase.objects.filter(pk__in=chunk, status=JointCase.Status.CLOSED).update(
            closing_summary=ANONYMISED_SUMMARY
        )
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


@transaction.atomic
def retention_apply(*, kind: str, months: int, now: datetime) -> int:
    """Anonymise the records of one kind past their term (not the access log: see
    access_log_prune); each household touched gets one event saying so. Returns how many
    records changed."""
    covered = COVERED[kind]
    cutoff = retention_cutoff(months=months, now=now)
    due = covered.candidates().filter(covered.past(cutoff))
    if kind == Kind.ACCESS_LOG:
        raise ValueError("the access log is pruned by access_log_prune, as the owner role")
    count = due.count()
    if not count:
        return 0
    households = ANONYMISE[kind](due)
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
    """Apply every term, kind by kind (each in its own transaction). Safe to run twice: what
    was anonymised no longer matches, so a second run changes nothing."""
    now = now or timezone.now()
    terms = retention_terms_ensure()
    done = {}
    for kind in Kind.values:
        if kind == Kind.ACCESS_LOG:
            continue  # the application role may not delete from it: access_log_prune does
        done[kind] = retention_apply(kind=kind, months=terms[kind], now=now)
    logger.info("retention run: %s", done)
    return done
