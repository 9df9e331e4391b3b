"""The ledger pages: the worked example as estimates with their sources, a total that would give
a small count away hidden, the period filter, who may read it, and a query count that does not
grow with the number of signals."""

import datetime
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Agreement, Referral, Signal, SignalCategory
from partners.models import Organisation
from tests.factories import HouseholdFactory, MembershipFactory, UserFactory, moment

pytestmark = pytest.mark.django_db


def test_the_page_hides_a_total_with_a_suppressed_amount(login, ledger_example, welfare):
    manager = MembershipFactory(organisation=welfare, role="manager")
    html = (
        login(manager)
        .get(reverse("ledger:ledger"), {"periode": "kwartaal", "jaar": "2025", "kwartaal": "1"})
        .content.decode()
    )
    assert "&lt;5" in html
    assert "€\xa0800" not in html, "F and G: one household, € 400 each"
    assert "meer dankzij" not in html, "no balance that gives the amount away"


def test_the_page_shows_the_example_as_estimates_with_sources(login, ledger_example, manager):
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


def test_the_printable_page_has_no_navigation(login, ledger_example, manager):
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


def test_an_organisation_without_agreements_sees_only_itself(login, ledger_example, care):
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
    login, ledger_example, manager, household, corporation
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
