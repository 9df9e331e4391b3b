"""The costs-and-savings ledger: a worked example computed by hand (hours × rate, packages,
avoided costs, the balance per pair), who is credited, small counts."""

from datetime import date
from decimal import Decimal

import pytest

from cases.models.ledger import Period
from cases.selectors.ledger import ledger_for
from tests.factories import HouseholdFactory, MembershipFactory, ledger_agreement, moment, resolved

pytestmark = pytest.mark.django_db
Q1_2025 = Period(date(2025, 1, 1), date(2025, 3, 1), "kwartaal")


def test_the_worked_example_by_hand(ledger_example, manager, corporation, welfare, municipality):
    ledger = ledger_for(actor=manager, period=Q1_2025)
    invested = {i.organisation.name: i for i in ledger.investments}
    assert list(invested) == [corporation.name, municipality.name, welfare.name]

    # 16 h/week is 16 × 52 / 12 = 69.333 h a month: 50% = 34.67 h, 30% = 20.80 h, 20% = 13.87 h.
    # January and March from the split, February as entered (40, 10 and 0 hours).
    corp = invested[corporation.name]
    assert corp.hours == Decimal("34.67") + Decimal("40") + Decimal("34.67")
    assert corp.hours_cost == Decimal("2080.20") + Decimal("2400.00") + Decimal("2080.20")
    assert (corp.packages, corp.package_count) == (Decimal("850.00"), 1)
    assert corp.total == Decimal("7410.40")

    wel = invested[welfare.name]
    assert wel.hours == Decimal("20.80") + Decimal("10") + Decimal("20.80")
    # € 50 in January and February, € 55 from March.
    assert wel.hours_cost == Decimal("1040.00") + Decimal("500.00") + Decimal("1144.00")
    assert wel.rate_list == [Decimal("50.00"), Decimal("55.00")]
    assert wel.total == Decimal("2684.00") + Decimal("1234.50")

    mun = invested[municipality.name]
    assert mun.hours == Decimal("13.87") * 2
    assert mun.hours_cost == Decimal("970.90") * 2
    assert mun.total == Decimal("1941.80")

    pairs = {p.partner.organisation.name: p for p in ledger.pairs}
    # Welfare saves € 400 for each of F and G thanks to the corporation.
    assert (pairs[welfare.name].partner_saves, pairs[welfare.name].own_saves) == (
        Decimal("800.00"),
        Decimal("0.00"),
    )
    assert pairs[welfare.name].balance == Decimal("800.00")
    # The municipality saves B € 2,500 + C € 800 + E € 1,000 thanks to the corporation; the
    # corporation saves A € 5,000 thanks to the municipality.
    mun_pair = pairs[municipality.name]
    assert (mun_pair.partner_saves, mun_pair.own_saves) == (Decimal("4300.00"), Decimal("5000.00"))
    assert mun_pair.balance == Decimal("-700.00")

    rows = {
        (s.bearer.name, s.category.code, s.resolver.name, s.estimate.amount): s.count
        for s in ledger.savings
    }
    assert rows == {
        (corporation.name, "huurachterstand", municipality.name, Decimal("5000.00")): 1,
        (municipality.name, "huurachterstand", corporation.name, Decimal("2500.00")): 1,
        (municipality.name, "eenzaamheid", corporation.name, Decimal("800.00")): 1,
        (municipality.name, "eenzaamheid", corporation.name, Decimal("1000.00")): 1,
        (welfare.name, "overlast", corporation.name, Decimal("400.00")): 2,
    }
    assert not any(s.suppressed for s in ledger.savings), "the corporation's own households"


def test_a_partner_reads_its_side_with_small_counts_suppressed(
    ledger_example, welfare, corporation, household
):
    # F and G plus three more: five signals, all of one household of the corporation.
    for day in (10, 11, 12):
        resolved(household, "overlast", moment(2025, 1, day, 10))
    manager = MembershipFactory(organisation=welfare, role="manager")
    ledger = ledger_for(actor=manager, period=Q1_2025)
    assert [i.organisation.name for i in ledger.investments] == [welfare.name, corporation.name]
    (saving,) = ledger.savings
    assert (saving.count, saving.suppressed) == (5, True), "five signals, one household"
    # The pair's total and the bar would give the suppressed € 2,000 away: not shown either.
    (pair,) = ledger.pairs
    assert (pair.partner.organisation, pair.partner_saves, pair.own_saves) == (
        corporation,
        Decimal("0.00"),
        None,
    )
    assert pair.balance is None
    assert ledger.savings_chart()["datasets"][1]["data"] == [None]


def test_five_households_of_a_partner_are_shown(ledger_example, welfare, corporation, household):
    # In January, with F and G's household. (Spread over months, households are counted per
    # month and the most of one month decides: when in doubt the cell is suppressed.)
    for _n in range(4):
        other = HouseholdFactory(corporation=corporation)
        resolved(other, "overlast", moment(2025, 1, 10, 10))
    ledger = ledger_for(
        actor=MembershipFactory(organisation=welfare, role="manager"), period=Q1_2025
    )
    (saving,) = ledger.savings
    assert (saving.count, saving.suppressed) == (6, False)
    assert ledger.pairs[0].own_saves == Decimal("2400.00")


def test_a_corporation_saves_only_on_its_own_households(
    ledger_example, manager, municipality, third_corporation
):
    with_them = ledger_agreement(municipality, third_corporation)
    # The municipality helped another corporation's tenant with arrears: that corporation's
    # eviction is avoided, not ours, whatever our estimate for arrears.
    elsewhere = HouseholdFactory(corporation=third_corporation)
    resolved(
        elsewhere,
        "huurachterstand",
        moment(2025, 2, 21, 10),
        helped_by=municipality,
        agreement_=with_them,
    )
    ledger = ledger_for(actor=manager, period=Q1_2025)
    pair = {p.partner.organisation: p for p in ledger.pairs}[municipality]
    assert pair.own_saves == Decimal("5000.00"), "only A, the corporation's own tenant"
    (saving,) = [s for s in ledger.savings if s.resolver == municipality]
    assert saving.count == 1


def test_other_bearers_save_on_the_tenants_of_corporations_they_work_with(
    ledger_example, welfare, municipality, third_corporation
):
    ledger_agreement(welfare, municipality)
    with_welfare = ledger_agreement(third_corporation, welfare)
    # Loneliness of another corporation's tenant, helped by welfare: the municipality has no
    # agreement with that corporation, so the ledger does not count it as the municipality's.
    elsewhere = HouseholdFactory(corporation=third_corporation)
    resolved(
        elsewhere, "eenzaamheid", moment(2025, 3, 6, 10), helped_by=welfare, agreement_=with_welfare
    )
    reader = MembershipFactory(organisation=welfare, role="manager")
    ledger = ledger_for(actor=reader, period=Q1_2025)
    # Only D: the corporation's tenant, helped by welfare in March (€ 1,000 from March).
    (saving,) = [s for s in ledger.savings if s.bearer == municipality]
    assert (saving.resolver, saving.count, saving.estimate.amount) == (
        welfare,
        1,
        Decimal("1000.00"),
    )
