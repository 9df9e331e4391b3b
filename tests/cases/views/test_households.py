"""The household pages: who may (allowed, another organisation's household 404, wrong role 403,
wrong method 405), one access-log row per read and per search, search and filters, and query
counts that do not grow with rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.access.log import query_digest
from cases.models import AccessLog, HomeVisit
from tests.factories import (
    ComplexFactory,
    HouseholdFactory,
    NeighbourhoodFactory,
    ResidentFactory,
    SignalFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def household_url(name, household):
    return reverse(f"cases:{name}", args=[household.pk])


# --- who may: allowed, another organisation's household (404), wrong role (403), method (405) ---


def test_the_household_page_shows_residents_signals_and_timeline(
    login, corporation_worker, household
):
    SignalFactory(household=household, description="Post stapelt zich op")
    response = login(corporation_worker).get(household_url("household_detail", household))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anna de Test" in html and "Post stapelt zich op" in html


def test_another_corporations_household_is_a_404(login, corporation_worker, other_household):
    client = login(corporation_worker)
    for name in ("household_detail", "visit_create"):
        assert client.get(household_url(name, other_household)).status_code == 404
    assert client.post(household_url("visit_create", other_household)).status_code == 404
    signal = SignalFactory(household=other_household)
    assert client.post(reverse("cases:signal_status", args=[signal.pk])).status_code == 404
    assert AccessLog.objects.filter(household=other_household).count() == 0


@pytest.mark.parametrize("cast", ["welfare_worker", "manager", "admin", "privacy_officer"])
def test_household_pages_are_for_the_corporations_workers(login, request, cast, household):
    client = login(request.getfixturevalue(cast))
    assert client.get(reverse("cases:household_list")).status_code == 403
    assert client.get(household_url("household_detail", household)).status_code == 403
    assert client.get(reverse("cases:signal_list")).status_code == 403
    assert AccessLog.objects.count() == 0


def test_wrong_methods(login, corporation_worker, household):
    client = login(corporation_worker)
    assert client.post(reverse("cases:household_list")).status_code == 405
    assert client.post(household_url("household_detail", household)).status_code == 405
    assert client.put(household_url("visit_create", household)).status_code == 405
    assert client.post(reverse("cases:signal_list")).status_code == 405
    signal = SignalFactory(household=household)
    assert client.put(reverse("cases:signal_status", args=[signal.pk])).status_code == 405


# --- the access log: one row per read and per search ---------------------------------------------


def test_one_access_row_per_read_and_per_household_a_search_shows(
    login, corporation_worker, household, corporation
):
    SignalFactory(household=household)
    second = HouseholdFactory(corporation=corporation, street="Lindelaan", house_number=14)
    client = login(corporation_worker)
    client.get(household_url("household_detail", household))
    client.get(reverse("cases:household_list"), {"q": "9901AB 12"})
    client.get(reverse("cases:signal_list"), {"lijst": "open"})
    client.get(reverse("cases:household_list"), {"q": "Lindelaan"})
    client.get(reverse("cases:household_list"), {"q": "bestaat niet"})
    rows = list(AccessLog.objects.order_by("id").values_list("action", "household_id"))
    assert rows[:3] == [("view", household.pk), ("search", household.pk), ("search", household.pk)]
    assert sorted(rows[3:5]) == sorted([("search", household.pk), ("search", second.pk)])
    assert rows[5:] == [("search", None)]
    searches = list(AccessLog.objects.filter(action="search").order_by("id"))
    # What was typed is kept as a keyed digest, never as text (ADR 0010).
    assert searches[0].detail["query"] == query_digest("9901ab  12")
    assert "9901AB" not in str(searches[0].detail)
    assert searches[0].household_corporation == corporation, "the corporation's viewer finds it"
    assert searches[0].legal_basis == "eigen_huurder"
    assert searches[2].at == searches[3].at, "one page, one time"
    assert searches[2].detail == searches[3].detail
    assert (searches[4].detail["households"], searches[4].legal_basis) == ([], "geen")
    assert searches[0].origin == "127.0.0.1"


# --- search and filters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["9901 AB 12 a", "9901ab12a", "9901AB 12-a", "9901 AB 12A", "Lindelaan 12a", "anna de"],
)
def test_search_by_postcode_and_number_street_or_name(login, corporation_worker, household, query):
    corporation = household.corporation
    HouseholdFactory(corporation=corporation, street="Havenkade", postcode="9902 CD")
    HouseholdFactory(
        corporation=corporation, street="Lindelaan", postcode="9901 AB", house_number=14
    )
    HouseholdFactory(
        corporation=corporation,
        street="Lindelaan",
        postcode="9901 AB",
        house_number=12,
        house_number_addition="b",
    )
    response = login(corporation_worker).get(reverse("cases:household_list"), {"q": query})
    assert [h.pk for h in response.context["page"]] == [household.pk]


def test_search_finds_a_number_with_a_long_addition(login, corporation_worker, household):
    upstairs = HouseholdFactory(
        corporation=household.corporation,
        street="Lindelaan",
        postcode="9901 AB",
        house_number=12,
        house_number_addition="2-hoog",
    )
    client = login(corporation_worker)
    for query in ("9901AB 12 2-hoog", "9901 AB 12 2hoog"):
        response = client.get(reverse("cases:household_list"), {"q": query})
        assert [h.pk for h in response.context["page"]] == [upstairs.pk], query
    everyone = client.get(reverse("cases:household_list"), {"q": "9901 AB 12"})
    assert {h.pk for h in everyone.context["page"]} == {household.pk, upstairs.pk}


def test_search_by_tenancy_reference_exact_in_any_case_within_what_the_actor_sees(
    login, corporation_worker, household, other_household
):
    """The tenancy reference (huurcontractnummer) finds its household, typed in any case and
    with spaces around it; never a part of one, and never another corporation's household with
    the same reference (references are per corporation). The search is logged as any other."""
    longer = HouseholdFactory(corporation=household.corporation, tenancy_reference="HC-0000123")
    other_household.tenancy_reference = household.tenancy_reference  # "HC-000012"
    other_household.save()
    client = login(corporation_worker)
    for query in ("HC-000012", "  hc-000012 ", "Hc-000012\t"):
        response = client.get(reverse("cases:household_list"), {"q": query})
        assert [h.pk for h in response.context["page"]] == [household.pk], query
    exact = client.get(reverse("cases:household_list"), {"q": "HC-0000123"})
    assert [h.pk for h in exact.context["page"]] == [longer.pk]
    partial = client.get(reverse("cases:household_list"), {"q": "HC-00001"})
    assert list(partial.context["page"]) == []
    row = AccessLog.objects.filter(action="search", household=household).latest("id")
    assert row.detail["query"] == query_digest("hc-000012")
    assert row.legal_basis == "eigen_huurder"
    assert not AccessLog.objects.filter(household=other_household).exists()


def test_filters_on_neighbourhood_and_complex_and_a_bad_filter_keeps_the_rest(
    login, corporation_worker, household, neighbourhood
):
    elsewhere = NeighbourhoodFactory(cbs_code="WK990999", name="Elders")
    block = ComplexFactory(corporation=household.corporation, neighbourhood=elsewhere)
    in_block = HouseholdFactory(
        corporation=household.corporation,
        neighbourhood=elsewhere,
        complex=block,
        street="Lindelaan",
    )
    client = login(corporation_worker)

    def listed(**params):
        return {h.pk for h in client.get(reverse("cases:household_list"), params).context["page"]}

    assert listed(neighbourhood=neighbourhood.pk) == {household.pk}
    assert listed(complex=block.pk) == {in_block.pk}
    assert listed(q="Lindelaan", neighbourhood=999999) == {household.pk, in_block.pk}


def test_pagination_keeps_the_filters_in_the_url(login, corporation_worker, household):
    for _ in range(30):
        HouseholdFactory(corporation=household.corporation, street="Lindelaan")
    response = login(corporation_worker).get(
        reverse("cases:household_list"), {"q": "Lindelaan", "open_signals": "nee"}
    )
    html = response.content.decode()
    assert "q=Lindelaan&amp;open_signals=nee&amp;page=2" in html


def test_filter_on_open_signals(login, corporation_worker, household):
    quiet = HouseholdFactory(
        corporation=household.corporation, neighbourhood=household.neighbourhood
    )
    SignalFactory(household=household)
    client = login(corporation_worker)
    with_open = client.get(reverse("cases:household_list"), {"open_signals": "ja"})
    assert [h.pk for h in with_open.context["page"]] == [household.pk]
    without = client.get(reverse("cases:household_list"), {"open_signals": "nee"})
    assert [h.pk for h in without.context["page"]] == [quiet.pk]


# --- query counts do not grow with rows ------------------------------------------------------


def fill(household, rows, author):
    """Add rows to every list and page: households with residents and open signals, and
    signals, visits and events on the household itself."""
    from cases.models import HouseholdEvent

    for _ in range(rows):
        extra = HouseholdFactory(
            corporation=household.corporation, neighbourhood=household.neighbourhood
        )
        ResidentFactory(household=extra)
        SignalFactory(household=extra, created_by=author)
        signal = SignalFactory(
            household=household, created_by=author, follow_up_on=TODAY - datetime.timedelta(1)
        )
        visit = HomeVisit.objects.create(
            household=household,
            visited_on=TODAY,
            kind="regulier",
            outcome="signalen",
            created_by=author,
            organisation=household.corporation,
        )
        HouseholdEvent.objects.create(
            household=household,
            kind="signal_opened",
            user=author,
            organisation=household.corporation,
            signal=signal,
            visit=visit,
        )


@pytest.mark.parametrize(
    "target",
    [
        "household_list",
        "household_reference",
        "household_detail",
        "signal_mine",
        "signal_open",
        "signal_overdue",
    ],
)
def test_query_counts_are_equal_at_1_10_and_50_rows(
    login, corporation_worker, household, neighbourhood, target
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    corporation_worker.neighbourhoods.add(neighbourhood)
    client = login(corporation_worker)
    urls = {
        "household_list": reverse("cases:household_list"),
        "household_reference": reverse("cases:household_list") + "?q=hc-000012",
        "household_detail": household_url("household_detail", household),
        "signal_mine": reverse("cases:signal_list") + "?lijst=mijn",
        "signal_open": reverse("cases:signal_list") + "?lijst=open",
        "signal_overdue": reverse("cases:signal_list") + "?lijst=verlopen",
    }
    client.get(urls[target])  # the first request stamps the session
    counts, rows = [], 0
    for total in (1, 10, 50):
        fill(household, total - rows, corporation_worker.user)
        rows = total
        with CaptureQueriesContext(connection) as queries:
            assert client.get(urls[target]).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts
