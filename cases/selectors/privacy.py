"""Reads of the privacy officer (ADR 0010): the access-log viewer, emergency accesses, the
daily reports and the retention preview. Each read of logged data is itself logged, as an
'audit' row on the basis 'supervision'.

The officer of an organisation reads the log of its own households and of its own people's
actions. Names are shown of its own people only; another organisation's worker shows as their
organisation and role (their own officer sees the name). A household shows its address while
the organisation may see the household, otherwise its number."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.access.log import log_access, query_digest
from cases.models import AccessLog, AccessReport, Household
from cases.validators import POSTCODE_QUERY, bare_addition
from partners.models import Membership, Organisation, User

Action = AccessLog.Action
PAGE_SIZE = 50
DEFAULT_DAYS = 31  # the period of a search by action or basis alone
CURSOR = re.compile(r"^(\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d)_(\d+)$")


# --- whom and which households a page may name ---------------------------------------------


def visible_households(actor: Membership, household_ids) -> dict[int, Household]:
    """The households among these that the actor's organisation may see, to show by address."""
    ids = {pk for pk in household_ids if pk}
    if not ids:
        return {}
    return {h.pk: h for h in Household.objects.visible_to(actor).filter(pk__in=ids)}


def audit_read(actor: Membership, *, what: str, detail: dict, households, household=None) -> None:
    log_access(
        actor=actor,
        action=Action.AUDIT,
        household=household,
        detail={"read": what, **detail, "households": sorted({h for h in households if h})},
        legal_basis=AccessLog.LegalBasis.SUPERVISION,
    )


def households_at(*, actor: Membership, query: str) -> list[Household] | None:
    """Households the organisation holds records of at a typed 'postcode house number
    [addition]'; None when the text is not such an address."""
    match = POSTCODE_QUERY.match(query or "")
    if not match or not match.group(3):
        return None
    postcode = f"{match.group(1)} {match.group(2).upper()}"
    households = Household.objects.held_by(actor.organisation_id).filter(
        postcode=postcode, house_number=int(match.group(3))
    )
    if match.group(4):
        wanted = bare_addition(match.group(4))
        return [h for h in households if bare_addition(h.house_number_addition) == wanted]
    return list(households.order_by("house_number_addition", "pk"))


# --- the access-log viewer -----------------------------------------------------------------


@dataclass
class AccessLogFilters:
    person: User | None = None
    household_query: str = ""
    households: list[int] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    action: str = ""
    legal_basis: str = ""
    period_defaulted: bool = False

    def as_log(self) -> dict:
        return {
            "person": self.person.pk if self.person else None,
            "address": query_digest(self.household_query),
            "household_ids": self.households,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "action": self.action,
            "legal_basis": self.legal_basis,
        }


@dataclass
class LogEntry:
    row: AccessLog
    person: str  # the name, for the organisation's own people only
    household: Household | None  # when the organisation may see it


@dataclass
class AccessLogPage:
    entries: list[LogEntry]
    older: str | None  # the cursor of the next (older) page
    first: bool


def _cursor(row: AccessLog) -> str:
    return f"{row.at.isoformat()}_{row.pk}"


def _parse_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    match = CURSOR.match(cursor or "")
    if not match:
        return None
    try:
        return datetime.fromisoformat(match.group(1)), int(match.group(2))
    except ValueError:
        return None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(queryset: QuerySet, filters: AccessLogFilters) -> QuerySet:
    if filters.person:
        queryset = queryset.filter(user=filters.person)
    if filters.household_query:
        queryset = queryset.filter(household_id__in=filters.households)
    if filters.date_from:
        queryset = queryset.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.action:
        queryset = queryset.filter(action=filters.action)
    if filters.legal_basis:
        queryset = queryset.filter(legal_basis=filters.legal_basis)
    return queryset


def _who(row: AccessLog) -> str:
    """Who acted, as the organisation's own viewer names it: its person, or its system (an
    agent has no person, ADR 0024)."""
    return row.user.name if row.user_id is not None else row.agent_name


def access_log_page(
    *, actor: Membership, filters: AccessLogFilters, cursor: str | None, per_page: int = PAGE_SIZE
) -> AccessLogPage:
    """One page of the log, newest first, from `cursor` on (keyset pagination: no count, no
    offset, so a page costs the same on the millionth row). Two index scans, merged: the
    organisation's own people's rows, and others' rows about its households; or, filtered to a
    person or a household, one scan of that index. A search by action or basis alone covers
    the last DEFAULT_DAYS days unless a period is chosen (bench/RESULTS.md)."""
    org = actor.organisation_id
    single = filters.households[0] if len(filters.households) == 1 else None
    if filters.households:
        # A household's log holds the rows of the households merged into it: those rows stay
        # where they were written, never rewritten (ADR 0026).
        absorbed = Household.objects.filter(merged_into__in=filters.households)
        filters.households = [*filters.households, *absorbed.values_list("pk", flat=True)]
    if filters.person or filters.household_query:
        # The person's or the household's own index finds their rows; one query.
        scans = [AccessLog.objects.filter(Q(organisation_id=org) | Q(household_corporation_id=org))]
    else:
        scans = [
            AccessLog.objects.filter(organisation_id=org),
            AccessLog.objects.filter(household_corporation_id=org).exclude(organisation_id=org),
        ]
        if (filters.action or filters.legal_basis) and not (filters.date_from or filters.date_to):
            # A rare action or basis could mean reading the whole index: the last month only,
            # unless a period is chosen.
            filters.date_from = timezone.localdate() - timedelta(days=DEFAULT_DAYS)
            filters.period_defaulted = True
    position = _parse_cursor(cursor)
    rows = []
    for queryset in scans:
        queryset = _filtered(queryset, filters)
        if position:
            at, pk = position
            queryset = queryset.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
        rows += queryset.select_related("user", "organisation").order_by("-at", "-pk")[
            : per_page + 1
        ]
    rows.sort(key=lambda row: (row.at, row.pk), reverse=True)
    more = len(rows) > per_page
    rows = rows[:per_page]
    shown = visible_households(actor, [row.household_id for row in rows])
    entries = [
        LogEntry(
            row=row,
            person=_who(row) if row.organisation_id == org else "",
            household=shown.get(row.household_id),
        )
        for row in rows
    ]
    audit_read(
        actor,
        what="access_log",
        detail={"filters": filters.as_log(), "cursor": cursor or ""},
        households=[row.household_id for row in rows],
        household=Household.objects.filter(pk=single).first() if single else None,
    )
    return AccessLogPage(
        entries=entries, older=_cursor(rows[-1]) if more else None, first=position is None
    )


def access_log_people(*, actor: Membership) -> QuerySet:
    """Everyone who is or was a member of the organisation, for the person filter."""
    return (
        User.objects.filter(memberships__organisation_id=actor.organisation_id)
        .distinct()
        .order_by("name")
    )


# --- the daily reports -----------------------------------------------------------------------


def access_reports(*, actor: Membership, limit: int = 60) -> list[AccessReport]:
    """The organisation's reports, newest first. Only counts: not logged."""
    return list(AccessReport.objects.filter(organisation_id=actor.organisation_id)[:limit])


@dataclass
class ReportLine:
    kind: str
    label: str
    person: str
    organisation: str
    role: str
    household: Household | None
    household_id: int | None
    count: int | None = None
    usual: float | None = None
    emergency: int | None = None
    lookups: int | None = None


def access_report_page(*, actor: Membership, pk: int) -> tuple[AccessReport, list[ReportLine]]:
    """One report with its findings made readable; the read is logged."""
    report = get_object_or_404(AccessReport, pk=pk, organisation_id=actor.organisation_id)
    findings = report.findings
    people = {
        (m.user_id, m.organisation_id): m
        for m in Membership.objects.filter(
            user_id__in={f["user"] for f in findings},
            organisation_id__in={f["organisation"] for f in findings},
        ).select_related("user", "organisation")
    }
    organisations = dict(
        Organisation.objects.filter(pk__in={f["organisation"] for f in findings}).values_list(
            "pk", "name"
        )
    )
    shown = visible_households(actor, [f.get("household") for f in findings])
    lines = []
    for finding in findings:
        member = people.get((finding["user"], finding["organisation"]))
        own = finding["organisation"] == actor.organisation_id
        lines.append(
            ReportLine(
                kind=finding["kind"],
                label=AccessReport.Finding(finding["kind"]).label,
                person=member.user.name if (member and own) else "",
                organisation=organisations.get(finding["organisation"], ""),
                role=member.get_role_display() if member else "",
                household=shown.get(finding.get("household")),
                household_id=finding.get("household"),
                count=finding.get("count"),
                usual=finding.get("usual"),
                emergency=finding.get("emergency"),
                lookups=finding.get("lookups"),
            )
        )
    audit_read(
        actor,
        what="access_report",
        detail={"report": report.pk},
        households=[f.get("household") for f in findings],
    )
    return report, lines
