"""What each retention term covers (ADR 0010): per kind of data, the records that still hold
names or free text, the moment their term counts from, and which organisation's they are.

Read by the retention job (cases.services.retention), which anonymises what is past its term,
and by the preview of the next month (retention_preview below). A record that was anonymised no
longer matches, so the job finds nothing the second time."""

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from cases.models import (
    AccessLog,
    CaseAction,
    CaseNote,
    CaseParticipant,
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
from cases.models.privacy import DEFAULT_MONTHS
from cases.workflow import FINAL_STATUSES, REFERRAL_OPEN, PackageStatus, ReferralStatus
from partners.models import Membership

Kind = RetentionTerm.Kind

# A closed joint case must keep a closing summary, a package of "other" a description and a
# declined package its reason (database constraints): this is what remains of them.
ANONYMISED_TEXT = "-"
ANONYMISED_SUMMARY = ANONYMISED_TEXT

CLOSED_REFERRAL = [s for s in ReferralStatus.values if s not in REFERRAL_OPEN]
FINAL_PACKAGE = [PackageStatus.GELEVERD, PackageStatus.AFGEWEZEN]


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the last day
    of a shorter month), as PostgreSQL's interval arithmetic does."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass(frozen=True)
class Covered:
    """One kind of data under a retention term."""

    kind: str
    moment: str  # the field (or annotation) the term counts from
    is_date: bool  # the moment is a date, not a datetime

    def candidates(self) -> QuerySet:
        """Records of this kind that still hold something to anonymise (or, for the access
        log, every row)."""
        return CANDIDATES[self.kind]()

    def scope(self, organisation_id: int) -> Q:
        """The records that are this organisation's (its households, its own work)."""
        return SCOPES[self.kind](organisation_id)

    def past(self, cutoff: datetime) -> Q:
        value = cutoff.date() if self.is_date else cutoff
        return Q(**{f"{self.moment}__lt": value})

    def between(self, start: datetime, end: datetime) -> Q:
        low, high = (start.date(), end.date()) if self.is_date else (start, end)
        return Q(**{f"{self.moment}__gte": low, f"{self.moment}__lt": high})


def _signals() -> QuerySet:
    return Signal.objects.filter(status__in=FINAL_STATUSES).exclude(
        description="", closed_reason=""
    )


def _visits() -> QuerySet:
    return HomeVisit.objects.exclude(notes="")


def _referrals() -> QuerySet:
    return Referral.objects.filter(status__in=CLOSED_REFERRAL, closed_at__isnull=False).exclude(
        message="", decline_reason="", outcome_note=""
    )


def _consents() -> QuerySet:
    today = timezone.localdate()
    return (
        Consent.objects.annotate(ended_on=Coalesce("withdrawn_on", "ends_on"))
        .filter(Q(withdrawn_on__isnull=False) | Q(ends_on__lt=today))
        .exclude(purpose="")
    )


def _joint_cases() -> QuerySet:
    notes = CaseNote.objects.filter(case=OuterRef("pk")).exclude(text="")
    actions = CaseAction.objects.filter(case=OuterRef("pk")).exclude(description="")
    return JointCase.objects.filter(status=JointCase.Status.CLOSED, closed_at__isnull=False).filter(
        ~Q(closing_summary=ANONYMISED_SUMMARY) | Exists(notes) | Exists(actions)
    )


def _packages() -> QuerySet:
    """Delivered and declined packages that still hold a description or a reason; the term
    counts from the delivery, or from the decision for a declined one."""
    emptied = ["", ANONYMISED_TEXT]
    return (
        SupportPackage.objects.filter(status__in=FINAL_PACKAGE)
        .annotate(
            ended_on=Coalesce("delivered_on", TruncDate("decided_at"), TruncDate("requested_at"))
        )
        .exclude(description__in=emptied, decline_reason__in=emptied)
    )


def _history() -> QuerySet:
    return HouseholdEvent.objects.filter(data__has_any_keys=list(FREE_TEXT_KEYS))


def _emergency() -> QuerySet:
    return EmergencyAccess.objects.exclude(reason="")


def _access_log() -> QuerySet:
    return AccessLog.objects.all()


CANDIDATES = {
    Kind.SIGNALS: _signals,
    Kind.VISITS: _visits,
    Kind.REFERRALS: _referrals,
    Kind.CONSENTS: _consents,
    Kind.JOINT_CASES: _joint_cases,
    Kind.PACKAGES: _packages,
    Kind.HISTORY: _history,
    Kind.EMERGENCY: _emergency,
    Kind.ACCESS_LOG: _access_log,
}


def _own_household_or(field: str):
    return lambda org: Q(household__corporation_id=org) | Q(**{field: org})


def _case_scope(org: int) -> Q:
    taking_part = CaseParticipant.objects.filter(organisation_id=org).values("case_id")
    return Q(household__corporation_id=org) | Q(pk__in=taking_part)


SCOPES = {
    Kind.SIGNALS: _own_household_or("organisation_id"),
    Kind.VISITS: _own_household_or("organisation_id"),
    Kind.REFERRALS: lambda org: Q(from_organisation_id=org) | Q(to_organisation_id=org),
    Kind.CONSENTS: _own_household_or("receiving_organisation_id"),
    Kind.JOINT_CASES: _case_scope,
    Kind.PACKAGES: lambda org: (
        Q(household__corporation_id=org) | Q(requested_for_id=org) | Q(paying_organisation_id=org)
    ),
    Kind.HISTORY: _own_household_or("organisation_id"),
    Kind.EMERGENCY: _own_household_or("organisation_id"),
    Kind.ACCESS_LOG: lambda org: Q(organisation_id=org) | Q(household_corporation_id=org),
}

COVERED = {
    Kind.SIGNALS: Covered(Kind.SIGNALS, "status_changed_at", is_date=False),
    Kind.VISITS: Covered(Kind.VISITS, "visited_on", is_date=True),
    Kind.REFERRALS: Covered(Kind.REFERRALS, "closed_at", is_date=False),
    Kind.CONSENTS: Covered(Kind.CONSENTS, "ended_on", is_date=True),
    Kind.JOINT_CASES: Covered(Kind.JOINT_CASES, "closed_at", is_date=False),
    Kind.PACKAGES: Covered(Kind.PACKAGES, "ended_on", is_date=True),
    Kind.HISTORY: Covered(Kind.HISTORY, "at", is_date=False),
    Kind.EMERGENCY: Covered(Kind.EMERGENCY, "started_at", is_date=False),
    Kind.ACCESS_LOG: Covered(Kind.ACCESS_LOG, "at", is_date=False),
}


# --- retention ---------------------------------------------------------------------------------


@dataclass
class RetentionLine:
    kind: str
    label: str
    months: int
    updated_by: str
    updated_at: datetime | None
    due_now: int
    due_soon: int


def retention_terms() -> dict[str, RetentionTerm]:
    """Every kind's term; a kind without a row shows its default (the job adds it)."""
    terms = {t.kind: t for t in RetentionTerm.objects.select_related("updated_by")}
    return {
        kind: terms.get(kind) or RetentionTerm(kind=kind, months=DEFAULT_MONTHS[kind])
        for kind in RetentionTerm.Kind.values
    }


def retention_preview(*, actor: Membership, days: int = 30) -> list[RetentionLine]:
    """Per kind: how many of the organisation's records are past their term now (the next
    nightly run takes them) and how many will be within `days`. Counts only: not logged."""
    now = timezone.now()
    lines = []
    for kind, term in retention_terms().items():
        covered = COVERED[kind]
        cutoff = months_before(now, term.months)
        records = covered.candidates().filter(covered.scope(actor.organisation_id))
        lines.append(
            RetentionLine(
                kind=kind,
                label=term.get_kind_display(),
                months=term.months,
                updated_by=term.updated_by.name if term.updated_by_id else "",
                updated_at=term.updated_at if term.pk else None,
                due_now=records.filter(covered.past(cutoff)).count(),
                due_soon=records.filter(
                    covered.between(cutoff, cutoff + timedelta(days=days))
                ).count(),
            )
        )
    return lines
