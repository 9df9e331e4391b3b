"""The dashboards' numbers: the figures read from the tallies equal a world counted by hand
(tests/worlds/dashboards.py), small cells of other organisations show "<5", and a dashboard costs
the same queries at 10 and at 1,000 signals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Signal
from cases.selectors.dashboards import dashboard_get
from cases.selectors.dashboards.across import shown
from cases.selectors.dashboards.filters import (
    MONTH,
    WEEK,
    DashboardFilters,
    default_period,
    percentile,
    period_label,
)
from cases.services.dashboards import dashboard_refresh
from tests.factories import HouseholdFactory, SignalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(dashboard_world):
    """The hand-counted world, its tallies counted (tests/worlds/dashboards.py)."""
    return dashboard_world


@pytest.fixture
def names(categories):
    """The three categories' names in column order (the seeded names, or the stand-ins')."""
    by_code = {c.code: c.name for c in categories}
    return [by_code[code] for code in ("eenzaamheid", "huurachterstand", "overlast")]


def filters(**chosen):
    per = chosen.pop("per", MONTH)
    start, end = default_period(per)
    return DashboardFilters(start=start, end=end, per=per, **chosen)


def table(actor, key, **chosen):
    found = dashboard_get(actor=actor, filters=filters(**chosen)).table(key)
    assert found is not None, f"no figure {key}"
    return found


def grid(found):
    """{row label: [cell texts]} with the header under None."""
    rows = {row.label: [cell.text for cell in row.cells] for row in found.rows}
    return {None: found.columns, **rows}


def months(world, found):
    """The rows of last and this month; every other month must be all zeros."""
    rows = grid(found)
    last = period_label(world.last_month, MONTH)
    this = period_label(world.this_month, MONTH)
    for label, cells in rows.items():
        if label not in (None, last, this):
            assert set(cells) <= {"0"}, (label, cells)
    return rows[None], rows[last], rows[this]


# --- the corporation's own dashboard --------------------------------------------------------------


def test_signals_per_category_and_per_neighbourhood(world, names):
    manager = world.corporation_manager
    header, last, this = months(world, table(manager, "signalen-per-categorie"))
    assert header[:3] == names
    assert header[3] in ("Total", "Totaal")
    assert (last, this) == (["2", "1", "0", "3"], ["2", "0", "1", "3"])

    header, last, this = months(world, table(manager, "signalen-per-buurt"))
    assert header[:3] == ["Bloemenbuurt", "Haven", "Vogelbuurt"]
    assert (last, this) == (["1", "0", "2", "3"], ["1", "1", "1", "3"])


def test_the_neighbourhood_filter_takes_a_district_with_its_neighbourhoods(world):
    manager = world.corporation_manager
    chosen = {"neighbourhood": world.district}
    header, last, this = months(world, table(manager, "signalen-per-categorie", **chosen))
    assert (last, this) == (["2", "1", "3"], ["2", "0", "2"])  # no noise in Noord
    header, last, this = months(world, table(manager, "signalen-per-buurt", **chosen))
    assert header[:2] == ["Bloemenbuurt", "Vogelbuurt"]
    assert (last, this) == (["1", "2", "3"], ["1", "1", "2"])


def test_the_category_filter(world, categories):
    lonely = next(c for c in categories if c.code == "eenzaamheid")
    header, last, this = months(
        world, table(world.corporation_manager, "signalen-per-categorie", category=lonely)
    )
    assert (header, last, this) == (["Eenzaamheid"], ["2"], ["2"])


def test_home_visits_by_outcome(world):
    header, last, this = months(world, table(world.corporation_manager, "huisbezoeken"))
    assert header[:3] == ["Signalen", "Geen zorgen", "Niet thuis"]
    assert (last, this) == (["1", "0", "1", "2"], ["0", "1", "0", "1"])


def test_referrals_sent_declined_completed_per_partner(world):
    manager = world.corporation_manager
    sent = grid(table(manager, "verwijzingen"))
    assert sent[None] == ["Verzonden", "Geaccepteerd", "Afgewezen", "Afgerond", "Ingetrokken"] + [
        sent[None][-1]
    ]
    assert sent["Welzijn Testdorp"] == ["0", "0", "1", "1", "0", "2"]
    assert sent["Zorg Testdorp"] == ["1", "0", "0", "0", "0", "1"]
    assert list(sent)[-1] in ("All partners", "Alle partners")
    assert list(sent.values())[-1] == ["1", "0", "1", "1", "0", "3"]
    declined = grid(table(manager, "afwijzingen"))
    assert declined["Welzijn Testdorp"][0] == "1"  # no capacity now
    assert declined["Welzijn Testdorp"][-1] == "1"
    completed = grid(table(manager, "uitkomsten"))
    assert completed["Welzijn Testdorp"] == ["1", "0", "0", "0", "1"]  # helped


def test_time_to_respond_against_the_agreed_deadline(world):
    response = grid(table(world.corporation_manager, "reactietijd"))
    # responded, median, 90th percentile, agreed, on time (%)
    assert response["Welzijn Testdorp"] == ["2", "2", "4", "5", "50"]
    assert response["Zorg Testdorp"] == ["0", "", "", "3", ""]
    assert list(response.values())[-1] == ["2", "2", "4", "", "50"]


def test_what_is_open_now(world):
    manager = world.corporation_manager
    open_referrals = grid(table(manager, "openstaand"))
    assert open_referrals["Zorg Testdorp"] == ["0", "1", "0", "1"]  # overdue
    assert open_referrals["Welzijn Testdorp"] == ["0", "0", "0", "0"]
    by_age = table(manager, "open-signalen")
    assert sum(row.cells[0].value for row in by_age.rows) == 5
    caseload = grid(table(manager, "caseload"))
    assert caseload["Sanne Test"] == ["5", "0", "0", "5"]


def test_open_signals_by_age(corporation, manager, household, categories):
    now = timezone.now()
    for days in (2, 6, 20, 45, 100, 200, 400):
        SignalFactory(household=household, category=categories[0], created_at=now - timedelta(days))
    SignalFactory(household=household, category=categories[0], status="gesloten")
    dashboard_refresh()
    by_age = grid(table(manager, "open-signalen"))
    assert list(by_age.values())[1:] == [["2"], ["1"], ["1"], ["1"], ["2"]]


def test_joint_cases_opened_and_closed(world):
    found = table(world.corporation_manager, "casussen")
    header, last, this = months(world, found)
    assert (last, this) == (["1", "0"], ["1", "1"])
    assert any("1" in note for note in found.notes)  # open now: 1


# --- a partner's dashboard: what was referred to it -----------------------------------------------


def test_the_welfare_dashboard_shows_what_it_received(world):
    manager = world.welfare_manager
    header, last, this = months(world, table(manager, "verwijzingen-per-categorie"))
    assert (header, last, this) == (["Eenzaamheid"], ["2"], ["1"])
    header, last, this = months(world, table(manager, "verwijzingen-per-buurt"))
    assert (header, last, this) == (["Vogelbuurt"], ["2"], ["1"])
    received = grid(table(manager, "verwijzingen"))
    assert received["Woonstichting Testdorp"] == ["0", "0", "1", "1", "0", "2"]
    assert received["Woonbron Elders"] == ["0", "1", "0", "0", "0", "1"]
    response = grid(table(manager, "reactietijd"))
    assert response["Woonstichting Testdorp"] == ["2", "2", "4", "5", "50"]
    assert response["Woonbron Elders"] == ["1", "0", "0", "5", "100"]
    assert list(response.values())[-1] == ["3", "2", "4", "", "67"]
    assert grid(table(manager, "openstaand"))["Woonbron Elders"] == ["0", "0", "1", "1"]
    assert grid(table(manager, "caseload"))["Fatma Test"] == ["1", "1", "2"]
    header, last, this = months(world, table(manager, "casussen"))
    assert (last, this) == (["0", "0"], ["1", "0"])


def test_a_partner_has_no_signal_or_visit_figures_of_its_own(world):
    dashboard = dashboard_get(actor=world.welfare_manager, filters=filters())
    keys = {t.key for s in dashboard.sections for t in s.tables}
    assert not keys & {"signalen-per-categorie", "signalen-per-buurt", "huisbezoeken"}
    assert "open-signalen" not in keys


def test_the_partner_filter(world, welfare, third_corporation):
    sent = grid(table(world.corporation_manager, "verwijzingen", partner=welfare))
    assert list(sent) == [None, "Welzijn Testdorp"]
    assert sent["Welzijn Testdorp"][-1] == "2"
    header, last, this = months(
        world, table(world.welfare_manager, "verwijzingen-per-categorie", partner=third_corporation)
    )
    assert (last, this) == (["0"], ["1"])


# --- across organisations: small cells ------------------------------------------------------------


def test_across_organisations_other_households_under_five_show_as_fewer_than_five(world, names):
    """Welfare sees the signals of both corporations it has an agreement with, per category:
    last month 2 and 1 households (<5), this month 8 lonely (2 + 6), 1 noise, 1 arrears."""
    found = table(world.welfare_manager, "samenwerking-signalen")
    header, last, this = months(world, found)
    assert header == names
    assert (last, this) == (["<5", "<5", "0"], ["8", "<5", "<5"])
    assert found.has_suppressed and found.across_organisations
    chart = found.chart_spec()
    index = chart["labels"].index(period_label(world.this_month, MONTH))
    assert [d["data"][index] for d in chart["datasets"]] == [8, None, None]


def test_across_organisations_the_own_households_are_not_suppressed(world, third_corporation):
    """The corporation sees households referred to welfare and care: its own 2 and 1 in full,
    the other corporation's 1 household as <5. The other corporation sees the reverse."""
    header, last, this = months(
        world, table(world.corporation_manager, "samenwerking-verwijzingen")
    )
    assert header == ["Welzijn Testdorp", "Zorg Testdorp"]
    assert (last, this) == (["2", "0"], ["<5", "1"])
    header, last, this = months(world, table(world.third_manager, "samenwerking-verwijzingen"))
    assert header == ["Welzijn Testdorp"]
    assert (last, this) == (["<5"], ["1"])


def test_another_organisations_data_never_reaches_a_dashboard(world, names):
    """The other corporation's own figures hold only its own signals and referrals."""
    manager = world.third_manager
    header, last, this = months(world, table(manager, "signalen-per-categorie"))
    assert header[:2] == names[:2]
    assert (last, this) == (["0", "0", "0"], ["6", "1", "7"])
    sent = grid(table(manager, "verwijzingen"))
    assert list(sent) == [None, "Welzijn Testdorp"]
    assert sent["Welzijn Testdorp"] == ["0", "1", "0", "0", "0", "1"]
    assert "Sanne Test" not in grid(table(manager, "caseload"))


def test_the_small_cell_rule():
    assert shown(7, other_households=0).text == "7"  # only the own organisation's households
    assert shown(3, other_households=0).text == "3"
    assert shown(0, other_households=0).text == "0"
    for other in (1, 2, 3, 4):
        assert shown(12, other_households=other).text == "<5"
    assert shown(5, other_households=5).text == "5"


def test_percentiles_by_nearest_rank():
    assert percentile({1: 1, 2: 2, 5: 1}, 50) == 2
    assert percentile({1: 1, 2: 2, 5: 1}, 90) == 5
    assert percentile({3: 10}, 90) == 3
    assert percentile({}, 50) is None
    assert percentile({0: 9, 10: 1}, 90) == 0
    assert percentile({0: 8, 10: 2}, 90) == 10
    assert percentile({0: 63, 1: 7}, 90) == 0, "70 values: rank 63, no rounding up by floats"


# --- per week -------------------------------------------------------------------------------------


def test_per_week(corporation, manager, household, categories):
    today = timezone.localdate()
    now = timezone.now()
    SignalFactory(household=household, category=categories[0], created_at=now)
    SignalFactory(household=household, category=categories[0], created_at=now - timedelta(7))
    SignalFactory(household=household, category=categories[0], created_at=now - timedelta(7))
    dashboard_refresh()
    rows = grid(table(manager, "signalen-per-categorie", per=WEEK))
    monday = today - timedelta(days=today.weekday())
    assert len(rows) == 13  # twelve weeks and the header
    assert rows[period_label(monday, WEEK)] == ["1"]
    assert rows[period_label(monday - timedelta(7), WEEK)] == ["2"]


def test_until_the_first_rebuild_the_dashboard_is_empty_and_says_so(manager):
    dashboard = dashboard_get(actor=manager, filters=filters())
    assert dashboard.refreshed_at is None
    assert all(t.is_empty for s in dashboard.sections for t in s.tables)


def test_a_cached_dashboard_of_other_code_is_computed_again(world, monkeypatch, caplog):
    """A rolling deploy: the cache holds a dashboard pickled by code whose classes moved. It is
    computed again, as if it had expired, instead of failing the page."""
    from django.core.cache import cache

    def unreadable(key, *args, **kwargs):
        raise ModuleNotFoundError("No module named 'cases.dashboard_tables'")

    monkeypatch.setattr(cache, "get", unreadable)
    dashboard = dashboard_get(actor=world.corporation_manager, filters=filters())
    assert dashboard.sections
    assert "could not be read" in caplog.text


# --- the same queries at 10 and at 1,000 signals --------------------------------------------------


def _signals(corporation, neighbourhood, categories, count):
    households = [
        HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood) for _ in range(10)
    ]
    author = SignalFactory(household=households[0], category=categories[0]).created_by
    now = timezone.now()
    Signal.objects.bulk_create(
        Signal(
            household=households[n % 10],
            category=categories[n % len(categories)],
            severity="laag",
            description="x",
            created_by=author,
            organisation=corporation,
            created_at=now - timedelta(days=n % 300),
            status="open" if n % 3 else "opgelost",
        )
        for n in range(count - 1)
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_a_dashboard_costs_the_same_queries_at_10_and_1000_signals(
    count, corporation, manager, neighbourhood, categories, django_assert_num_queries
):
    _signals(corporation, neighbourhood, categories, count)
    assert Signal.objects.count() == count
    dashboard_refresh()
    with django_assert_num_queries(QUERIES):
        dashboard_get(actor=manager, filters=filters())
    with django_assert_num_queries(1):  # computed once: only the rebuild's time is read
        dashboard_get(actor=manager, filters=filters())


QUERIES = 11
