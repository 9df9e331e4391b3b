"""The ledger's worked example (ADR 0009), first quarter of 2025: rates, estimates, resolved
signals, packages and worked hours, for the ledger's tests. Exported by tests.factories."""

import datetime
from datetime import date
from decimal import Decimal

from django.utils import timezone

from cases.models import (
    Agreement,
    AvoidedCost,
    HourlyRate,
    HoursSplit,
    HoursSplitShare,
    Referral,
    Signal,
    SignalCategory,
    SupportPackage,
    WorkedHours,
)
from partners.models import Membership
from tests.factories import HouseholdFactory, SignalFactory, UserFactory

LONG_AGO = date(2024, 1, 1)


def moment(*args):
    return timezone.make_aware(datetime.datetime(*args))


def ledger_agreement(first, second):
    return Agreement.objects.create(
        first=first,
        second=second,
        response_days=5,
        valid_from=LONG_AGO,
        created_by=UserFactory(email="afspraak@test.example"),
    )


def _rate(organisation, amount, month):
    return HourlyRate.objects.create(
        organisation=organisation, amount=Decimal(amount), valid_from=month, set_by=_someone()
    )


def _estimate(organisation, code, amount, month=LONG_AGO, source="Testbron"):
    return AvoidedCost.objects.create(
        organisation=organisation,
        category=SignalCategory.objects.get(code=code),
        amount=Decimal(amount),
        source=source,
        valid_from=month,
        set_by=_someone(),
    )


def _someone():
    return UserFactory(email="beheerder.test@test.example")


def resolved(household, code, when, *, helped_by=None, outcome="geholpen", agreement_=None):
    """A signal resolved at `when`; `helped_by` completed a referral about it first."""
    signal = SignalFactory(
        household=household, category=SignalCategory.objects.get(code=code), status="opgelost"
    )
    Signal.objects.filter(pk=signal.pk).update(status_changed_at=when)
    if helped_by is not None:
        referral = Referral.objects.create(
            household=household,
            from_organisation=household.corporation,
            to_organisation=helped_by,
            agreement=agreement_,
            legal_basis="vroegsignalering",
            status="afgerond",
            outcome=outcome,
            deadline=when.date(),
            sent_by=signal.created_by,
            closed_at=when - datetime.timedelta(days=3),
        )
        referral.signals.add(signal)
    return signal


def _package(household, payer, amount, status, delivered_on=None):
    return SupportPackage.objects.create(
        household=household,
        item="inrichting",
        amount=Decimal(amount),
        paying_organisation=payer,
        status=status,
        delivered_on=delivered_on,
        decline_reason="Nee" if status == "afgewezen" else "",
        requested_by=_someone(),
        requested_for=household.corporation,
    )


def build_ledger_example(
    corporation, welfare, municipality, care, third_corporation, household, shared_worker
):
    """The worked example of ADR 0009 (the ledger's tests, in a browser too); needs the
    categories."""
    with_welfare = ledger_agreement(corporation, welfare)
    with_municipality = ledger_agreement(corporation, municipality)
    # The shared worker has been a member of all three since 2024.
    Membership.objects.filter(user=shared_worker.user).update(started_at=moment(2024, 1, 1, 9))
    _rate(corporation, "60.00", date(2024, 1, 1))
    _rate(welfare, "50.00", date(2024, 1, 1))
    _rate(welfare, "55.00", date(2025, 3, 1))  # the rate changes in March
    _rate(municipality, "70.00", date(2025, 1, 1))
    _rate(care, "99.00", date(2024, 1, 1))  # no agreement with the corporation: not in its ledger
    split = HoursSplit.objects.create(
        user=shared_worker.user,
        hours_per_week=Decimal("16"),
        valid_from=date(2025, 1, 1),
        recorded_by=_someone(),
        recorded_for=corporation,
    )
    for organisation, percent in ((corporation, 50), (welfare, 30), (municipality, 20)):
        HoursSplitShare.objects.create(split=split, organisation=organisation, percent=percent)
    # February: the worker entered hours, which win over the split for that whole month.
    for organisation, hours in ((corporation, "40"), (welfare, "10"), (municipality, "0")):
        WorkedHours.objects.create(
            user=shared_worker.user,
            organisation=organisation,
            month=date(2025, 2, 1),
            hours=Decimal(hours),
        )
    _package(household, corporation, "850.00", "geleverd", date(2025, 2, 10))
    _package(household, corporation, "300.00", "geleverd", date(2025, 4, 2))  # after the period
    _package(household, welfare, "1234.50", "geleverd", date(2025, 3, 31))
    _package(household, municipality, "500.00", "goedgekeurd")  # not delivered
    _package(household, corporation, "99.00", "afgewezen")

    _estimate(corporation, "huurachterstand", "5000", source="Kosten huisuitzetting (test)")
    _estimate(municipality, "huurachterstand", "2500", source="Schuldhulptraject (test)")
    _estimate(municipality, "eenzaamheid", "800")
    _estimate(municipality, "eenzaamheid", "1000", month=date(2025, 3, 1))
    _estimate(welfare, "overlast", "400")
    _estimate(care, "eenzaamheid", "999")  # care is no partner of the corporation

    # A: arrears resolved in January after the municipality helped: the corporation saves.
    resolved(
        household,
        "huurachterstand",
        moment(2025, 1, 20, 10),
        helped_by=municipality,
        agreement_=with_municipality,
    )
    # B: arrears resolved by the corporation itself: the municipality saves.
    resolved(household, "huurachterstand", moment(2025, 2, 3, 10))
    # C (February, € 800) and E (March, € 1,000): loneliness resolved by the corporation.
    resolved(household, "eenzaamheid", moment(2025, 2, 14, 10))
    resolved(household, "eenzaamheid", moment(2025, 3, 31, 23, 30))  # late, still March
    # D: loneliness resolved thanks to welfare: between welfare and the municipality, not ours.
    resolved(
        household,
        "eenzaamheid",
        moment(2025, 3, 5, 10),
        helped_by=welfare,
        agreement_=with_welfare,
    )
    # F and G: nuisance resolved by the corporation (G's referral did not reach the tenant).
    resolved(household, "overlast", moment(2025, 1, 8, 10))
    resolved(
        household,
        "overlast",
        moment(2025, 1, 9, 10),
        helped_by=welfare,
        outcome="niet_bereikt",
        agreement_=with_welfare,
    )
    # Not counted: resolved after the period, reopened, or another corporation's own work.
    resolved(household, "huurachterstand", moment(2025, 4, 1, 0, 30))
    reopened = resolved(household, "huurachterstand", moment(2025, 2, 20, 10))
    Signal.objects.filter(pk=reopened.pk).update(status="open")
    elsewhere = HouseholdFactory(corporation=third_corporation)
    resolved(elsewhere, "huurachterstand", moment(2025, 2, 20, 10))
