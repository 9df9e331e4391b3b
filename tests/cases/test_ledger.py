"""The costs-and-savings ledger: a worked example computed by hand (hours × rate, packages,
avoided costs, the balance per pair), who is credited, small counts, the period filter, who may
read it, and a query count that does not grow with the number of signals."""

import datetime
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
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
from cases.selectors.ledger import Period, ledger_for
from partners.models import Membership, Organisation
from tests.factories import HouseholdFactory, MembershipFactory, SignalFactory, UserFactory

pytestmark = pytest.mark.django_db
Q1_2025 = Period(date(2025, 1, 1), date(2025, 3, 1), "kwartaal")
LONG_AGO = date(2024, 1, 1)


def moment(*args):
    return timezone.make_aware(datetime.datetime(*args))


def agreement(first, second):
    return Agreement.objects.create(
        first=first,
        second=second,
        response_days=5,
        valid_from=LONG_AGO,
        created_by=UserFactory(email="afspraak@test.example"),
    )


def rate(organisation, amount, month):
    return HourlyRate.objects.create(
        organisation=organisation, amount=Decimal(amount), valid_from=month, set_by=_someone()
    )


def estimate(organisation, code, amount, month=LONG_AGO, source="Testbron"):
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


def package(household, payer, amount, status, delivered_on=None):
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


@pytest.fixture
def example(
    corporation,
    welfare,
    municipality,
    care,
    third_corporation,
    household,
    shared_worker,
    categories,
):
    """The worked example of ADR 0009, first quarter of 2025."""
    build_example(
        corporation, welfare, municipality, care, third_corporation, household, shared_worker
    )


def build_example(
    corporation, welfare, municipality, care, third_corporation, household, shared_worker
):
    """The worked example (the browser tests use it too); needs the categories."""
    with_welfare = agreement(corporation, welfare)
    with_municipality = agreement(corporation, municipality)
    # The shared worker has been a member of all three since 2024.
    Membership.objects.filter(user=shared_worker.user).update(started_at=moment(2024, 1, 1, 9))
    rate(corporation, "60.00", date(2024, 1, 1))
    rate(welfare, "50.00", date(2024, 1, 1))
    rate(welfare, "55.00", date(2025, 3, 1))  # the rate changes in March
    rate(municipality, "70.00", date(2025, 1, 1))
    rate(care, "99.00", date(2024, 1, 1))  # no agreement with the corporation: not in its ledger
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
    package(household, corporation, "850.00", "geleverd", date(2025, 2, 10))
    package(household, corporation, "300.00", "geleverd", date(2025, 4, 2))  # after the period
    package(household, welfare, "1234.50", "geleverd", date(2025, 3, 31))
    package(household, municipality, "500.00", "goedgekeurd")  # not delivered
    package(household, corporation, "99.00", "afgewezen")

    estimate(corporation, "huurachterstand", "5000", source="Kosten huisuitzetting (test)")
    estimate(municipality, "huurachterstand", "2500", source="Schuldhulptraject (test)")
    estimate(municipality, "eenzaamheid", "800")
    estimate(municipality, "eenzaamheid", "1000", month=date(2025, 3, 1))
    estimate(welfare, "overlast", "400")
    estimate(care, "eenzaamheid", "999")  # care is no partner of the corporation

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


def test_the_worked_example_by_hand(example, manager, corporation, welfare, municipality):
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
    example, welfare, corporation, household
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


def test_five_households_of_a_partner_are_shown(example, welfare, corporation, household):
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


def test_the_page_hides_a_total_with_a_suppressed_amount(login, example, welfare):
    manager = MembershipFactory(organisation=welfare, role="manager")
    html = (
        login(manager)
        .get(reverse("ledger:ledger"), {"periode": "kwartaal", "jaar": "2025", "kwartaal": "1"})
        .content.decode()
    )
    assert "&lt;5" in html
    assert "€\xa0800" not in html, "F and G: one household, € 400 each"
    assert "meer dankzij" not in html, "no balance that gives the amount away"


def test_a_corporation_saves_only_on_its_own_households(
    example, manager, municipality, third_corporation
):
    with_them = agreement(municipality, third_corporation)
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
    example, welfare, municipality, third_corporation
):
    agreement(welfare, municipality)
    with_welfare = agreement(third_corporation, welfare)
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


def test_the_page_shows_the_example_as_estimates_with_sources(login, example, manager):
    response = login(manager).get(
        reverse("ledger:ledger"), {"periode": "kwartaal", "jaar": "2025", "kwartaal": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "kwartaal 1 van 2025" in html.lower() or "1e kwartaal 2025" in html
    assert "€\xa07.410" in html and "€\xa03.919" in html  # invested, whole euros
    assert "Kosten huisuitzetting (test)" in html, "the source of each estimate is shown"
    assert "schatting" in html.lower()
    assert "Woonstichting Testdorp bespaart €\xa0700 meer dankzij Gemeente Testdorp" in html
    assert 'data-chart="chart-savings"' in html and 'id="chart-savings"' in html
    assert "Anna de Test" not in html and "Lindelaan" not in html, "no household data"


def test_the_printable_page_has_no_navigation(login, example, manager):
    response = login(manager).get(reverse("ledger:print"), {"periode": "jaar", "jaar": "2025"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<nav" not in html and "Uitloggen" not in html and "Afmelden" not in html
    assert 'data-chart="chart-invested"' in html and "Afdrukken" in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"periode": "jaar", "jaar": "twintig"}, "jaar", "Geef een jaar op, zoals 2026."),
        ({"periode": "jaar", "jaar": "1999"}, "jaar", "Geef een jaar van 2000 tot"),
        ({"periode": "anders", "van": "2025-13", "tot": "2025-02"}, "van", "Geef een maand"),
        ({"periode": "anders", "van": "2025-05", "tot": "2025-02"}, "tot", "niet vóór de eerste"),
        ({"periode": "anders", "van": "2015-01", "tot": "2025-02"}, "tot", "hoogstens vijf jaar"),
        ({"periode": "maand", "jaar": "2100", "maand": "1"}, "jaar", "Geef een jaar van 2000"),
    ],
)
def test_an_invalid_period_is_told_next_to_the_field(login, manager, query, field, message):
    response = login(manager).get(reverse("ledger:ledger"), query)
    assert response.status_code == 200
    assert response.context["ledger"] is None
    assert message in " ".join(response.context["form"].errors[field])
    assert message.split(",")[0] in response.content.decode()


def test_a_period_not_begun_and_the_current_year_up_to_this_month(login, manager):
    today = timezone.localdate()
    client = login(manager)
    later = today.replace(day=1) + datetime.timedelta(days=40)
    response = client.get(
        reverse("ledger:ledger"),
        {"periode": "maand", "jaar": str(later.year), "maand": str(later.month)},
    )
    if later.year == today.year:
        assert "is nog niet begonnen" in " ".join(response.context["form"].errors["maand"])
    default = client.get(reverse("ledger:ledger")).context["ledger"].period
    assert (default.first_month, default.last_month) == (
        date(today.year, 1, 1),
        today.replace(day=1),
    )


@pytest.mark.parametrize("cast", ["manager", "admin"])
def test_managers_and_administrators_read_it(login, request, cast):
    client = login(request.getfixturevalue(cast))
    assert client.get(reverse("ledger:ledger")).status_code == 200
    assert client.get(reverse("ledger:print")).status_code == 200


@pytest.mark.parametrize("cast", ["corporation_worker", "welfare_worker", "privacy_officer"])
def test_workers_and_privacy_officers_do_not(login, request, cast):
    client = login(request.getfixturevalue(cast))
    assert client.get(reverse("ledger:ledger")).status_code == 403
    assert client.get(reverse("ledger:print")).status_code == 403


def test_wrong_methods(login, manager):
    client = login(manager)
    assert client.post(reverse("ledger:ledger")).status_code == 405
    assert client.post(reverse("ledger:print")).status_code == 405


def test_an_organisation_without_agreements_sees_only_itself(login, example, care):
    manager = MembershipFactory(organisation=care, role="manager")
    response = login(manager).get(reverse("ledger:ledger"), {"periode": "jaar", "jaar": "2025"})
    ledger = response.context["ledger"]
    assert [i.organisation for i in ledger.investments] == [care]
    assert ledger.pairs == [] and ledger.savings == []
    html = response.content.decode()
    assert "Woonstichting Testdorp" not in html and "Welzijn Testdorp" not in html


# Each added signal takes the next of these: three categories, three months, and resolved by
# the corporation itself or after a referral to the municipality or to welfare.
SPREAD = [
    (code, when, helper)
    for code in ("huurachterstand", "eenzaamheid", "overlast")
    for when in (moment(2025, 1, 15, 12), moment(2025, 2, 10, 12), moment(2025, 3, 12, 12))
    for helper in (None, "gemeente", "welzijn")
]


def _helped_by(household, kind):
    partner = Organisation.objects.get(kind=kind, name__endswith="Testdorp")
    return Referral.objects.create(
        household=household,
        from_organisation=household.corporation,
        to_organisation=partner,
        agreement=Agreement.objects.get(first=household.corporation, second=partner),
        legal_basis="vroegsignalering",
        status="afgerond",
        outcome="geholpen",
        deadline=date(2025, 1, 1),
        sent_by=UserFactory(email=f"verwijzer.{kind}@test.example"),
        closed_at=moment(2025, 1, 1, 12),
    )


def _fill_resolved(households, referrals, start, count):
    """Signals number start .. start + count - 1, spread over the households and SPREAD."""
    categories = {c.code: c for c in SignalCategory.objects.all()}
    author = UserFactory(email=f"vulling{start}@test.example")
    spread = [SPREAD[n % len(SPREAD)] for n in range(start, start + count)]
    homes = [households[n % len(households)] for n in range(start, start + count)]
    signals = Signal.objects.bulk_create(
        Signal(
            household=home,
            category=categories[code],
            severity="midden",
            description="Opgelost",
            status="opgelost",
            created_by=author,
            organisation=home.corporation,
            status_changed_at=when,
        )
        for home, (code, when, _helper) in zip(homes, spread, strict=True)
    )
    Referral.signals.through.objects.bulk_create(
        Referral.signals.through(referral=referrals[(home.pk, helper)], signal=signal)
        for signal, home, (_code, _when, helper) in zip(signals, homes, spread, strict=True)
        if helper
    )


def _expected(count):
    """What the municipality and welfare save thanks to the corporation, and the corporation
    thanks to the municipality, for the first `count` added signals (estimates of the example)."""
    municipality = {"huurachterstand": 2500, "eenzaamheid": 800}
    partner, welfare, own = Decimal(0), Decimal(0), Decimal(0)
    for code, when, helper in (SPREAD[n % len(SPREAD)] for n in range(count)):
        if helper is None and code == "eenzaamheid" and when.month == 3:
            partner += 1000
        elif helper is None and code in municipality:
            partner += municipality[code]
        elif helper is None:
            welfare += 400
        elif helper == "gemeente" and code == "huurachterstand":
            own += 5000
    return partner, welfare, own


def test_the_query_count_does_not_grow_with_the_resolved_signals(
    login, example, manager, household, corporation
):
    households = [household, *(HouseholdFactory(corporation=corporation) for _n in range(4))]
    referrals = {
        (home.pk, kind): _helped_by(home, kind)
        for home in households
        for kind in ("gemeente", "welzijn")
    }
    client = login(manager)
    url = reverse("ledger:ledger") + "?periode=kwartaal&jaar=2025&kwartaal=1"
    client.get(url)  # the first request stamps the session
    counts, added = [], 0
    for total in (10, 1000):
        _fill_resolved(households, referrals, added, total - added)
        added = total
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    ledger = response.context["ledger"]
    # Every category, resolver and estimate version of the example holds added signals.
    assert len(ledger.savings) == 6 and all(s.count > 10 for s in ledger.savings)
    pairs = {p.partner.organisation.kind: p for p in ledger.pairs}
    partner, welfare, own = _expected(1000)
    assert pairs["gemeente"].partner_saves == Decimal("4300.00") + partner
    assert pairs["gemeente"].own_saves == Decimal("5000.00") + own
    assert pairs["welzijn"].partner_saves == Decimal("800.00") + welfare
