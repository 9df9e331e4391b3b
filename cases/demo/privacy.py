"""Demo data for privacy (seed_demo, ADR 0010): retention terms the administrator shortened for
what home visits leave behind (so the oldest demo signals are due around now), a correction the
privacy officer made on a tenant's request, an emergency access by the care worker last night,
and the morning's report of unusual access about it.

Everything goes through the services, so history, log rows and notifications are what real use
gives. The texts are demo data in Dutch. Running it twice adds nothing."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cases.demo.data import DEMO_PREFIX
from cases.models import (
    EmergencyAccess,
    Household,
    HouseholdEvent,
    Referral,
    RetentionTerm,
)
from cases.services.access_reports import access_reports_daily
from cases.services.avg import ResidentCorrection, household_rectify
from cases.services.emergency import emergency_access_open
from cases.services.retention import retention_terms_ensure, retention_terms_save

Kind = HouseholdEvent.Kind
# The corporation's administrator chose shorter terms than the defaults for what home visits
# leave behind: announced, they wait their delay, and the retention page shows what they will
# take (the demo's oldest closed signals and visit notes).
DEMO_TERMS = {"signals": 15, "visits": 15}
EMERGENCY_REASON = (
    "Dochter belt ongerust: moeder neemt al twee dagen de telefoon niet op en de buren "
    "hebben haar niet gezien. Telefoonnummer nodig om contact te zoeken."
)
CORRECTION_REASON = "Huurder belde: het telefoonnummer in het systeem was van de vorige bewoner"


@dataclass(frozen=True)
class PrivacySummary:
    terms: int
    corrections: int
    emergency_accesses: int
    reports: int

    def __str__(self):
        return (
            f"{self.terms} retention terms set, {self.corrections} correction, "
            f"{self.emergency_accesses} emergency access, {self.reports} reports of unusual access"
        )


def _demo_households(corporation):
    return Household.objects.filter(
        corporation=corporation, tenancy_reference__startswith=DEMO_PREFIX
    ).order_by("tenancy_reference")


def _terms(administrator) -> int:
    """The organisation's own terms, set once (terms it has are left alone)."""
    if RetentionTerm.objects.filter(organisation_id=administrator.organisation_id).exists():
        return 0
    changed = retention_terms_save(
        actor=administrator, organisation_id=administrator.organisation_id, months=DEMO_TERMS
    )
    return len(changed)


def _correction(corporation, officer) -> int:
    done = HouseholdEvent.objects.filter(
        household__corporation=corporation, kind=Kind.DATA_CORRECTED, data__source="avg"
    )
    if done.exists():
        return 0
    household = _demo_households(corporation).exclude(phone="").first()
    if household is None:
        return 0
    digits = household.phone.replace(" ", "")
    new = f"06 0000 {(int(digits[-4:]) + 4321) % 10000:04d}"
    household_rectify(
        actor=officer,
        household=household,
        phone=new,
        email=household.email,
        residents=[
            ResidentCorrection(r.pk, r.name, r.birth_year) for r in household.residents.all()
        ],
        reason=CORRECTION_REASON,
    )
    return 1


def _emergency(organisations, care_worker):
    """Last night the care worker opened a household care had no referral for."""
    if EmergencyAccess.objects.filter(user_id=care_worker.user_id).exists():
        return None
    referred = Referral.objects.filter(to_organisation=organisations["zorg"]).values("household")
    household = (
        _demo_households(organisations["corporatie"])
        .exclude(pk__in=referred)
        .exclude(phone="")
        .filter(residents__birth_year__lt=1950)
        .first()
    )
    if household is None:
        return None
    access = emergency_access_open(actor=care_worker, household=household, reason=EMERGENCY_REASON)
    # Moved back to yesterday evening, its history with it (the log row keeps the seeding time).
    yesterday = timezone.localdate() - timedelta(days=1)
    started = timezone.make_aware(datetime.combine(yesterday, time(21, 40)))
    EmergencyAccess.objects.filter(pk=access.pk).update(
        started_at=started, ends_at=started + (access.ends_at - access.started_at)
    )
    HouseholdEvent.objects.filter(household=household, kind=Kind.EMERGENCY_ACCESS).update(
        at=started
    )
    return access


@transaction.atomic
def build_demo_privacy(*, organisations: dict, workers: dict) -> PrivacySummary:
    """Retention terms, a correction, an emergency access and the report about it, once."""
    retention_terms_ensure()
    terms = _terms(workers["beheerder"])
    corrections = _correction(organisations["corporatie"], workers["privacy"])
    access = _emergency(organisations, workers["zorg"])
    reports = access_reports_daily(day=timezone.localdate() - timedelta(days=1)) if access else []
    return PrivacySummary(
        terms=terms,
        corrections=corrections,
        emergency_accesses=1 if access else 0,
        reports=len(reports),
    )
