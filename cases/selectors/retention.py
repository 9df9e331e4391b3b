"""What each retention term covers (ADR 0010, 0015): per kind of data, the records that still
hold names or free text, the moment their term counts from, and which organisation holds them
(the data controller whose term applies).

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
from cases.models.privacy import CONTROLLER_KINDS, DEFAULT_MONTHS
from cases.workflow import FINAL_STATUSES, REFERRAL_OPEN, PackageStatus, ReferralStatus
from partners.models import Organisation

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

    def held_by(self, organisation_ids: list[int]) -> Q:
        """The records (or, of a referral or joint case, the parts) these organisations hold
        as data controller that still hold free text: their terms apply to them."""
        return HELD_BY[self.kind](organisation_ids)

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


def _held(field: str):
    return lambda orgs: Q(**{f"{field}__in": orgs})


def _referrals_held(orgs: list[int]) -> Q:
    """The sender holds its message; the receiver its reason for declining and its note on the
    outcome."""
    return (Q(from_organisation_id__in=orgs) & ~Q(message="")) | (
        Q(to_organisation_id__in=orgs) & (~Q(decline_reason="") | ~Q(outcome_note=""))
    )


def _joint_cases_held(orgs: list[int]) -> Q:
    """Each participant holds its own notes and actions; the coordinating organisation the
    closing summary."""
    notes = CaseNote.objects.filter(case=OuterRef("pk"), organisation_id__in=orgs).exclude(text="")
    actions = CaseAction.objects.filter(case=OuterRef("pk"), owner_organisation_id__in=orgs)
    return (
        (Q(coordinator_organisation_id__in=orgs) & ~Q(closing_summary=ANONYMISED_SUMMARY))
        | Q(Exists(notes))
        | Q(Exists(actions.exclude(description="")))
    )


def _history_held(orgs: list[int]) -> Q:
    """An event is held by the organisation that caused it; one without (the system's) by the
    household's corporation."""
    return Q(organisation_id__in=orgs) | Q(
        organisation_id__isnull=True, household__corporation_id__in=orgs
    )


HELD_BY = {
    Kind.SIGNALS: _held("organisation_id"),
    Kind.VISITS: _held("organisation_id"),
    Kind.REFERRALS: _referrals_held,
    Kind.CONSENTS: _held("household__corporation_id"),
    Kind.JOINT_CASES: _joint_cases_held,
    Kind.PACKAGES: _held("requested_for_id"),
    Kind.HISTORY: _history_held,
    Kind.EMERGENCY: _held("organisation_id"),
    # The access log's term is the installation's; an organisation's share of it is what it
    # did and what was done to its households.
    Kind.ACCESS_LOG: lambda orgs: (
        Q(organisation_id__in=orgs) | Q(household_corporation_id__in=orgs)
    ),
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


def retention_months(*, organisation_id: int | None, kind: str, at: datetime | None = None) -> int:
    """The term in force for one controller's records of one kind (the access log: the
    installation's), at `at` (now): a shorter term counts from its date."""
    term = RetentionTerm.objects.filter(
        kind=kind, organisation_id=None if kind == Kind.ACCESS_LOG else organisation_id
    ).first()
    return term_in_force(term, kind=kind, at=at or timezone.now())


def term_in_force(term: RetentionTerm | None, *, kind: str, at: datetime) -> int:
    if term is None:
        return DEFAULT_MONTHS[kind]
    if term.pending_months is not None and term.pending_from <= at:
        return term.pending_months
    return term.months


def retention_terms(*, organisation_id: int | None) -> dict[str, RetentionTerm]:
    """One controller's terms (organisation_id None: the installation's access-log term); a
    kind without a row shows its default (the first save adds it)."""
    kinds = [Kind.ACCESS_LOG] if organisation_id is None else CONTROLLER_KINDS
    terms = {
        t.kind: t
        for t in RetentionTerm.objects.filter(
            organisation_id=organisation_id, kind__in=kinds
        ).select_related("updated_by", "pending_by")
    }
    return {
        kind: terms.get(kind)
        or RetentionTerm(kind=kind, months=DEFAULT_MONTHS[kind], organisation_id=organisation_id)
        for kind in kinds
    }


def retention_terms_by_organisation(*, at: datetime) -> dict[str, dict[int, int]]:
    """Per kind of case data, the months in force for every organisation (its own term, or the
    default): what the nightly run applies."""
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    rows = {
        (t.kind, t.organisation_id): t
        for t in RetentionTerm.objects.filter(organisation__isnull=False)
    }
    return {
        kind: {org: term_in_force(rows.get((kind, org)), kind=kind, at=at) for org in organisations}
        for kind in CONTROLLER_KINDS
    }


@dataclass
class RetentionLine:
    kind: str
    label: str
    months: int
    updated_by: str
    updated_at: datetime | None
    due_now: int
    due_soon: int
    pending_months: int | None = None
    pending_from: datetime | None = None
    pending_by: str = ""
    # What the shorter term would take that the current one does not, were it in force now.
    due_when_pending: int = 0


def retention_preview(*, organisation_id: int | None, days: int = 30) -> list[RetentionLine]:
    """Per kind: how many of the controller's records are past their term now (the next
    nightly run takes them), how many will be within `days`, and what a shorter term waiting
    for its date would take on top. Counts only: not logged. For the access log (organisation
    None) the counts are the whole installation's."""
    now = timezone.now()
    lines = []
    for kind, term in retention_terms(organisation_id=organisation_id).items():
        covered = COVERED[kind]
        cutoff = months_before(now, term.months)
        records = covered.candidates()
        if organisation_id is not None:
            records = records.filter(covered.held_by([organisation_id]))
        extra = 0
        if term.pending_months is not None and term.pending_months < term.months:
            sooner = months_before(now, term.pending_months)
            extra = records.filter(covered.between(cutoff, sooner)).count()
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
                pending_months=term.pending_months,
                pending_from=term.pending_from,
                pending_by=term.pending_by.name if term.pending_by_id else "",
                due_when_pending=extra,
            )
        )
    return lines
