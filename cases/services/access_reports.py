"""The daily report of unusual access for the privacy officers (ADR 0010).

Three findings, over one day of the access log:
- a person opened many more households than usual: more than UNUSUAL_FACTOR times the median
  of their daily counts over the USUAL_DAYS before (days without any count as 0), and more
  than UNUSUAL_MINIMUM;
- a worker opened a household their organisation has no open relation with: for a partner no
  open referral or joint case; for the corporation's own workers no open signal, referral or
  case and no home visit in the QUIET_DAYS before;
- every emergency access;
- every person who looked up addresses for emergency access, with the number of look-ups
  (whether or not one was opened: a look-up tells whether a household lives there).
A finding goes to the privacy officers of the person's organisation, and of the household's
corporation when that is another. One report per organisation per day: a second run finds it
and does nothing."""

import statistics
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    AccessLog,
    AccessReport,
    CaseParticipant,
    EmergencyAccess,
    HomeVisit,
    JointCase,
    Referral,
    Signal,
)
from cases.services.notices import privacy_officers_notify
from cases.workflow import OPEN_STATUSES
from partners.models import Membership, Notification

Finding = AccessReport.Finding
Action = AccessLog.Action
OPENED = (Action.VIEW, Action.EXPORT)
UNUSUAL_FACTOR = 3
UNUSUAL_MINIMUM = 20
USUAL_DAYS = 30
QUIET_DAYS = 90


def _window(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _many_households(day: date) -> list[dict]:
    start, end = _window(day)
    opened = AccessLog.objects.filter(action__in=OPENED, household__isnull=False)
    busy = (
        opened.filter(at__gte=start, at__lt=end)
        .values("user_id", "organisation_id")
        .annotate(count=Count("household_id", distinct=True))
        .filter(count__gt=UNUSUAL_MINIMUM)
    )
    findings = []
    for row in busy:
        per_day = dict(
            opened.filter(
                user_id=row["user_id"],
                organisation_id=row["organisation_id"],
                at__gte=start - timedelta(days=USUAL_DAYS),
                at__lt=start,
            )
            .annotate(day=TruncDate("at"))
            .values("day")
            .annotate(count=Count("household_id", distinct=True))
            .values_list("day", "count")
        )
        days = [per_day.get(day - timedelta(days=n), 0) for n in range(1, USUAL_DAYS + 1)]
        usual = statistics.median(days)
        if row["count"] > UNUSUAL_FACTOR * usual:
            findings.append(
                {
                    "kind": Finding.MANY_HOUSEHOLDS,
                    "user": row["user_id"],
                    "organisation": row["organisation_id"],
                    "household": None,
                    "count": row["count"],
                    "usual": usual,
                }
            )
    return findings


def _no_relation(day: date) -> list[dict]:
    start, end = _window(day)
    rows = (
        AccessLog.objects.filter(
            at__gte=start,
            at__lt=end,
            action__in=OPENED,
            role=Membership.Role.MEDEWERKER,
            household__isnull=False,
        )
        .exclude(legal_basis=AccessLog.LegalBasis.EMERGENCY)
        .values_list("user_id", "organisation_id", "household_id", "household_corporation_id")
        .distinct()
    )
    rows = list(rows)
    households = {household for _u, _o, household, _c in rows}
    if not households:
        return []
    related = set()  # (household, organisation) with open work between them
    for household, sender, receiver in (
        Referral.objects.open()
        .filter(household__in=households)
        .values_list("household_id", "from_organisation_id", "to_organisation_id")
    ):
        related |= {(household, sender), (household, receiver)}
    related |= set(
        CaseParticipant.objects.filter(
            case__household__in=households, case__status=JointCase.Status.OPEN
        ).values_list("case__household_id", "organisation_id")
    )
    active = {household for household, _org in related}
    active |= set(
        Signal.objects.filter(household__in=households, status__in=OPEN_STATUSES).values_list(
            "household_id", flat=True
        )
    )
    active |= set(
        HomeVisit.objects.filter(
            household__in=households, visited_on__gt=day - timedelta(days=QUIET_DAYS)
        ).values_list("household_id", flat=True)
    )
    findings = []
    for user, organisation, household, corporation in rows:
        own = organisation == corporation
        if (own and household in active) or (not own and (household, organisation) in related):
            continue
        findings.append(
            {
                "kind": Finding.NO_RELATION,
                "user": user,
                "organisation": organisation,
                "household": household,
                "corporation": corporation,
            }
        )
    return findings


def _emergencies(day: date) -> list[dict]:
    start, end = _window(day)
    return [
        {
            "kind": Finding.EMERGENCY,
            "user": access.user_id,
            "organisation": access.organisation_id,
            "household": access.household_id,
            "corporation": access.household.corporation_id,
            "emergency": access.pk,
        }
        for access in EmergencyAccess.objects.filter(started_at__gte=start, started_at__lt=end)
        .select_related("household")
        .order_by("started_at", "pk")
    ]


def _emergency_lookups(day: date) -> list[dict]:
    """Each person's emergency look-ups of the day. One look-up is one time: its rows (one per
    household found) share it (log_shown)."""
    start, end = _window(day)
    per_person = (
        AccessLog.objects.filter(
            at__gte=start,
            at__lt=end,
            action=Action.SEARCH,
            legal_basis=AccessLog.LegalBasis.EMERGENCY,
        )
        .values("user_id", "organisation_id")
        .annotate(lookups=Count("at", distinct=True))
        .order_by("organisation_id", "user_id")
    )
    return [
        {
            "kind": Finding.EMERGENCY_LOOKUPS,
            "user": row["user_id"],
            "organisation": row["organisation_id"],
            "household": None,
            "lookups": row["lookups"],
        }
        for row in per_person
    ]


def access_findings(*, day: date) -> dict[int, list[dict]]:
    """The day's findings per organisation that must hear of them."""
    per_organisation = defaultdict(list)
    findings = _many_households(day) + _no_relation(day) + _emergencies(day)
    for finding in findings + _emergency_lookups(day):
        receivers = {finding["organisation"], finding.get("corporation") or finding["organisation"]}
        for organisation_id in sorted(receivers):
            per_organisation[organisation_id].append(finding)
    return dict(per_organisation)


@transaction.atomic
def access_report_save(*, organisation_id: int, day: date, findings: list[dict]) -> AccessReport:
    """Keep one organisation's report of the day and tell its privacy officers; a report that
    exists already is returned as it is, and nobody is told twice."""
    report, created = AccessReport.objects.get_or_create(
        organisation_id=organisation_id, day=day, defaults={"findings": findings}
    )
    if created:
        privacy_officers_notify(
            organisation_id=organisation_id,
            kind=Notification.Kind.ACCESS_REPORT,
            url=reverse("privacy:report_detail", args=[report.pk]),
            data={"access_report": report.pk, "count": len(findings)},
            dedupe_key=f"access_report:{organisation_id}:{day.isoformat()}",
        )
    return report


def access_reports_daily(*, day: date | None = None) -> list[AccessReport]:
    """The reports of one day (yesterday by default), for organisations with findings."""
    day = day or timezone.localdate() - timedelta(days=1)
    return [
        access_report_save(organisation_id=organisation_id, day=day, findings=findings)
        for organisation_id, findings in access_findings(day=day).items()
    ]
