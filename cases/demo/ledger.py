"""Demo hourly rates, estimates of avoided costs, the samenlevingsondersteuner's hours and
support packages (seed_demo), so the demo managers find a filled costs-and-savings ledger.

Rates, estimates, the agreed split, the entered hours and the packages go through the services,
as the demo administrators and workers would have done it; each package step is then moved back
to the day it is meant to have happened, its history with it. The signals of referrals that
ended with 'helped' are resolved afterwards in the history directly, like the visits demo's
resolutions (cases.demo): that is history nobody read, so it writes no access-log rows.

The estimates are fictional demo figures and say so in their source. Safe to run twice: it does
nothing when the corporation already has an hourly rate."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.demo.data import DEMO_PREFIX
from cases.models import (
    AvoidedCost,
    HourlyRate,
    Household,
    HouseholdEvent,
    Referral,
    Signal,
    SignalCategory,
    SupportPackage,
    WorkedHours,
)
from cases.models.ledger import add_months, first_of_month
from cases.services.ledger import (
    avoided_cost_save,
    hourly_rate_set,
    hours_split_save,
    worked_hours_enter,
)
from cases.services.support import (
    support_package_approve,
    support_package_decline,
    support_package_deliver,
    support_package_request,
)
from cases.workflow import PackageStatus, ReferralOutcome, ReferralStatus, SignalStatus
from partners.models import Membership

MONTHS_BACK = 24  # rates and estimates apply from two years ago
RATES = {"corporatie": "58.50", "welzijn": "52.00", "zorg": "61.00", "gemeente": "68.00"}
SOURCE = "Fictief demo-cijfer: {}"
# organisation: (category code, amount, what the fictional estimate stands for)
ESTIMATES = {
    "corporatie": (
        ("huurachterstand", "6000", "een ontruiming met leegstand en herverhuur voorkomen"),
        ("vervuiling", "3500", "herstel van een vervuilde woning voorkomen"),
        ("overlast", "1200", "bemiddeling en juridische stappen bij overlast voorkomen"),
    ),
    "gemeente": (
        ("huurachterstand", "2800", "een schuldhulptraject dat niet nodig was"),
        ("inrichting", "900", "bijzondere bijstand voor inrichting die niet nodig was"),
        ("eenzaamheid", "700", "maatwerkondersteuning uit de Wmo die niet nodig was"),
    ),
    "zorg": (
        ("zorgbehoefte", "2400", "zwaardere thuiszorg die uitbleef"),
        ("psychische-klachten", "4500", "een crisisopname die uitbleef"),
    ),
    "welzijn": (
        ("eenzaamheid", "350", "een maatjestraject dat niet nodig was"),
        ("taal-digitaal", "250", "een taalcursus die niet nodig was"),
    ),
}
SPLIT = ("16", {"corporatie": 50, "welzijn": 30, "gemeente": 20})
# Months back: hours the samenlevingsondersteuner entered per organisation (this month and the
# one before: earlier months are closed to entering).
ENTERED = {
    0: {"corporatie": "36", "welzijn": "22.5", "gemeente": "12"},
    1: {"corporatie": "30", "welzijn": "26", "gemeente": "14.25"},
}


@dataclass(frozen=True)
class Package:
    """One demo package: paid by whom, how far it got and how many days ago each step was.
    A partner pays only on a household it has an open referral for."""

    payer: str
    item: str
    amount: str
    status: str
    requested: int
    decided: int | None = None
    delivered: int | None = None
    description: str = ""
    reason: str = ""


PACKAGES = (
    Package("corporatie", "inrichting", "1450", PackageStatus.GELEVERD, 150, 148, 130),
    Package("corporatie", "vloerbedekking", "780", PackageStatus.GELEVERD, 90, 89, 70),
    Package(
        "corporatie",
        "witgoed",
        "400",
        PackageStatus.AFGEWEZEN,
        60,
        58,
        reason="Valt buiten het inrichtingsbudget; de gemeente kijkt naar bijzondere bijstand.",
    ),
    Package("corporatie", "inrichting", "950", PackageStatus.AANGEVRAAGD, 3),
    Package("gemeente", "budgetcoaching", "600", PackageStatus.GELEVERD, 12, 10, 4),
    Package("gemeente", "witgoed", "520", PackageStatus.GOEDGEKEURD, 9, 8),
    Package("welzijn", "anders", "240", PackageStatus.GELEVERD, 17, 16, 9, "Matras en beddengoed"),
    Package("welzijn", "inrichting", "650", PackageStatus.AANGEVRAAGD, 5),
)
HOURS = {"request": (10, 0), "decide": (14, 30), "deliver": (11, 0), "resolve": (15, 45)}


@dataclass(frozen=True)
class LedgerSummary:
    created: bool
    rates: int
    estimates: int
    entered_months: int
    packages: int
    delivered: int

    def __str__(self):
        return (
            f"{self.rates} hourly rates, {self.estimates} estimates, {self.entered_months} "
            f"months of entered hours, {self.packages} support packages "
            f"({self.delivered} delivered)"
        )


def summarise_ledger(corporation, *, created: bool) -> LedgerSummary:
    packages = SupportPackage.objects.filter(household__corporation=corporation)
    return LedgerSummary(
        created=created,
        rates=HourlyRate.objects.count(),
        estimates=AvoidedCost.objects.count(),
        entered_months=WorkedHours.objects.values("user", "month").distinct().count(),
        packages=packages.count(),
        delivered=packages.filter(status=PackageStatus.GELEVERD).count(),
    )


class _Builder:
    def __init__(self, *, organisations, workers, admins, today):
        self.organisations = organisations
        self.workers = workers
        self.admins = admins
        self.today = today
        self.tz = timezone.get_current_timezone()
        self.used = set()

    def day(self, days_ago: int) -> date:
        day = self.today - timedelta(days=days_ago)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return day

    def moment(self, days_ago: int, step: str) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.day(days_ago), time(*HOURS[step])), self.tz
        )

    @contextmanager
    def dated(self, when: datetime):
        """Move the history the services write inside the block to `when`."""
        last_event = HouseholdEvent.objects.aggregate(m=Max("id"))["m"] or 0
        yield
        HouseholdEvent.objects.filter(id__gt=last_event).update(at=when)

    def rates_and_estimates(self) -> None:
        since = add_months(first_of_month(self.today), -MONTHS_BACK)
        categories = {c.code: c for c in SignalCategory.objects.all()}
        for key, amount in RATES.items():
            hourly_rate_set(actor=self.admins[key], amount=Decimal(amount), valid_from=since)
        for key, estimates in ESTIMATES.items():
            for code, amount, what in estimates:
                if code in categories:
                    avoided_cost_save(
                        actor=self.admins[key],
                        category=categories[code],
                        amount=Decimal(amount),
                        source=SOURCE.format(what),
                        valid_from=since,
                    )

    def hours(self) -> None:
        slo = self.workers["samenlevingsondersteuner"]
        # The samenlevingsondersteuner has worked for the three organisations for two years.
        Membership.objects.filter(user_id=slo.user_id, ended_at__isnull=True).update(
            started_at=timezone.make_aware(
                datetime.combine(add_months(first_of_month(self.today), -MONTHS_BACK), time(9)),
                self.tz,
            )
        )
        weekly, shares = SPLIT
        hours_split_save(
            actor=self.admins["corporatie"],
            user=slo.user,
            hours_per_week=Decimal(weekly),
            valid_from=add_months(first_of_month(self.today), -12),
            shares={self.organisations[key].pk: percent for key, percent in shares.items()},
        )
        for months_back, entered in ENTERED.items():
            worked_hours_enter(
                actor=slo,
                month=add_months(first_of_month(self.today), -months_back),
                hours={
                    self.organisations[key].pk: Decimal(value) for key, value in entered.items()
                },
            )

    def household_for(self, payer: str):
        """A demo household the payer works with: any for the corporation, one with an open
        referral (accepted first) for a partner."""
        if payer == "corporatie":
            referred = Referral.objects.values("household")
            household = (
                Household.objects.filter(
                    corporation=self.organisations["corporatie"],
                    tenancy_reference__startswith=DEMO_PREFIX,
                )
                .exclude(pk__in=referred)
                .exclude(pk__in=self.used)
                .order_by("tenancy_reference")
                .first()
            )
        else:
            referral = (
                Referral.objects.shared_with(self.organisations[payer].pk)
                .open()
                .exclude(household__in=self.used)
                .order_by("status", "sent_at")  # accepted before sent
                .select_related("household")
                .first()
            )
            household = referral.household if referral else None
        if household is not None:
            self.used.add(household.pk)
        return household

    def package(self, plan: Package) -> None:
        household = self.household_for(plan.payer)
        if household is None:
            return
        requester = self.workers["woonconsulent"]
        deciders = {
            "corporatie": self.workers["manager.corporatie"],
            "gemeente": self.workers["gemeente"],
            "welzijn": self.workers["welzijn"],
        }
        with self.dated(self.moment(plan.requested, "request")):
            package = support_package_request(
                actor=requester,
                household=household,
                item=plan.item,
                amount=Decimal(plan.amount),
                paying_organisation=self.organisations[plan.payer],
                description=plan.description,
            )
        SupportPackage.objects.filter(pk=package.pk).update(
            requested_at=self.moment(plan.requested, "request")
        )
        if plan.decided is None:
            return
        when = self.moment(plan.decided, "decide")
        with self.dated(when):
            if plan.status == PackageStatus.AFGEWEZEN:
                support_package_decline(
                    actor=deciders[plan.payer], package=package, reason=plan.reason
                )
            else:
                support_package_approve(actor=deciders[plan.payer], package=package)
        SupportPackage.objects.filter(pk=package.pk).update(decided_at=when)
        if plan.delivered is None:
            return
        package.refresh_from_db()
        with self.dated(self.moment(plan.delivered, "deliver")):
            support_package_deliver(
                actor=requester, package=package, delivered_on=self.day(plan.delivered)
            )

    def resolve_helped(self) -> None:
        """The signals of referrals that ended with 'helped' are resolved by the corporation
        a few days after (the ledger credits the partner that helped)."""
        helped = Referral.objects.filter(
            status=ReferralStatus.AFGEROND, outcome=ReferralOutcome.GEHOLPEN
        ).prefetch_related("signals")
        events = []
        for referral in helped:
            when = min(
                timezone.localtime(referral.closed_at) + timedelta(days=2),
                self.moment(1, "resolve"),
            )
            for signal in referral.signals.all():
                if signal.status != SignalStatus.IN_BEHANDELING or signal.status_changed_at >= when:
                    continue
                Signal.objects.filter(pk=signal.pk).update(
                    status=SignalStatus.OPGELOST, status_changed_at=when
                )
                events.append(
                    HouseholdEvent(
                        household_id=signal.household_id,
                        kind=HouseholdEvent.Kind.SIGNAL_STATUS_CHANGED,
                        at=when,
                        user_id=referral.sent_by_id,
                        organisation_id=referral.from_organisation_id,
                        signal=signal,
                        referral=referral,
                        data={"from": signal.status, "to": SignalStatus.OPGELOST, "reason": ""},
                    )
                )
        HouseholdEvent.objects.bulk_create(events)

    def build(self) -> None:
        self.rates_and_estimates()
        self.hours()
        for plan in PACKAGES:
            self.package(plan)
        self.resolve_helped()


@transaction.atomic
def build_demo_ledger(
    *, organisations: dict, workers: dict, admins: dict, today: date | None = None
) -> LedgerSummary:
    """Hourly rates and estimates of the four demo organisations, the samenlevingsondersteuner's
    agreed split and two months of entered hours, and eight support packages in every status.

    `organisations`: "corporatie", "welzijn", "zorg", "gemeente". `workers` (memberships):
    "woonconsulent" (requests and records deliveries), "manager.corporatie", "welzijn" and
    "gemeente" (decide for their organisation's money), "samenlevingsondersteuner" (enters
    hours). `admins`: the administrator membership of each organisation.

    Does nothing when the corporation already has an hourly rate."""
    today = today or timezone.localdate()
    corporation = organisations["corporatie"]
    if HourlyRate.objects.filter(organisation=corporation).exists():
        return summarise_ledger(corporation, created=False)
    _Builder(organisations=organisations, workers=workers, admins=admins, today=today).build()
    return summarise_ledger(corporation, created=True)
