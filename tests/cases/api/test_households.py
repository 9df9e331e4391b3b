"""Households through the API (ADR 0025): a client sees what its organisation sees (the same
visible_to), filters by district, searches by address or tenancy reference with POST _zoek, and
every read is in the access log with channel "api" and the client's name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import AccessLog
from partners.models import ApiClient
from tests.factories import HouseholdFactory, NeighbourhoodFactory, ResidentFactory

pytestmark = pytest.mark.django_db
Scope = ApiClient.Scope
LIST, SEARCH = "/api/v1/huishoudens", "/api/v1/huishoudens/_zoek"


def one(pk: int) -> str:
    return f"/api/v1/huishoudens/{pk}"


@pytest.fixture
def key(api_key, corporation):
    return api_key(corporation, Scope.HOUSEHOLDS_READ)[1]


def test_the_list_shows_the_organisations_own_households(call, key, household, other_household):
    response = call(key, "get", LIST)
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["resultaten"]] == [household.pk]
    row = body["resultaten"][0]
    assert row["hoofdhuurder"] == "Anna de Test"
    assert row["adres"]["postcode"] == household.postcode
    assert row["url"].endswith(one(household.pk))
    assert (body["pagina"], body["volgende"], body["vorige"]) == (1, None, None)


def test_each_household_listed_is_in_the_access_log_as_the_clients(
    call, api_key, corporation, household
):
    api, key = api_key(corporation, Scope.HOUSEHOLDS_READ)
    call(key, "get", LIST, **{"X-Forwarded-For": "203.0.113.9"})
    row = AccessLog.objects.get()
    assert (row.channel, row.agent, row.agent_name) == ("api", api.reference, "Huursysteem")
    assert (row.user_id, row.organisation_id, row.household_id) == (
        None,
        corporation.pk,
        household.pk,
    )
    assert row.action == AccessLog.Action.SEARCH


def test_pages_follow_each_other(call, key, corporation, neighbourhood):
    for number in range(1, 4):
        HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood, house_number=number)
    first = call(key, "get", f"{LIST}?paginaGrootte=2").json()
    assert len(first["resultaten"]) == 2 and first["vorige"] is None
    second = call(key, "get", first["volgende"]).json()
    assert [r["adres"]["huisnummer"] for r in second["resultaten"]] == [3]
    assert second["volgende"] is None and "paginaGrootte=2" in second["vorige"]


@pytest.mark.parametrize(
    "query", ["pagina=0", "pagina=x", "pagina=10001", "paginaGrootte=101", "wijk=WK000000"]
)
def test_a_wrong_query_is_a_400_naming_the_parameter(call, key, query):
    response = call(key, "get", f"{LIST}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    name = query.split("=")[0]
    assert [p["name"] for p in response.json()["invalidParams"]] == [name]


def test_the_list_filters_by_district_or_neighbourhood(call, key, corporation, household):
    district = NeighbourhoodFactory(cbs_code="WK990200", kind="wijk")
    elsewhere = NeighbourhoodFactory(cbs_code="BU99020001", kind="buurt", parent=district)
    there = HouseholdFactory(corporation=corporation, neighbourhood=elsewhere)
    for code in ("WK990200", "BU99020001", "bu99020001"):
        rows = call(key, "get", f"{LIST}?wijk={code}").json()["resultaten"]
        assert [r["id"] for r in rows] == [there.pk]


def test_the_list_reads_as_many_queries_for_one_household_as_for_twenty(
    call, key, corporation, neighbourhood
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert call(key, "get", LIST).status_code == 200
        return len(queries)

    HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood)
    few = count()
    for number in range(19):
        household = HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood)
        ResidentFactory(household=household, name=f"Bewoner {number}", is_main_tenant=True)
    assert count() == few


def test_the_search_reads_as_many_queries_for_one_household_as_for_twenty(
    call, key, corporation, neighbourhood
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = call(key, "post", SEARCH, {"postcode": "9901 ZZ", "huisnummer": 7})
            assert response.status_code == 200
        return len(queries), len(response.json()["resultaten"])

    def home():
        return HouseholdFactory(
            corporation=corporation, neighbourhood=neighbourhood, postcode="9901 ZZ", house_number=7
        )

    home()
    few = count()
    for letter in "bcdefghijklmnopqrst":
        ResidentFactory(household=home(), name=f"Bewoner {letter}", is_main_tenant=True)
    assert count() == (few[0], 20)


def test_one_household_with_its_residents_and_its_read_logged(
    call, api_key, corporation, household
):
    api, key = api_key(corporation, Scope.HOUSEHOLDS_READ)
    response = call(key, "get", one(household.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["bewoners"] == [
        {"naam": "Anna de Test", "geboortejaar": 1948, "rol": "hoofdhuurder"}
    ]
    assert body["corporatie"] == corporation.name
    row = AccessLog.objects.get()
    assert (row.action, row.household_id, row.agent) == ("view", household.pk, api.reference)


def test_another_organisations_household_is_a_404(call, key, other_household):
    response = call(key, "get", one(other_household.pk))
    assert response.status_code == 404
    assert response.json()["title"] == "Niet gevonden"
    assert not AccessLog.objects.filter(household=other_household).exists()


def test_a_partner_sees_a_household_while_a_referral_shares_it(call, api_key, welfare, referral):
    _api, key = api_key(welfare, Scope.HOUSEHOLDS_READ)
    assert call(key, "get", one(referral.household_id)).status_code == 200
    assert [r["id"] for r in call(key, "get", LIST).json()["resultaten"]] == [referral.household_id]
    row = AccessLog.objects.filter(agent__startswith="api-client:").last()
    assert row.legal_basis == referral.legal_basis


def test_the_search_finds_by_postcode_and_house_number(call, key, corporation, neighbourhood):
    home = HouseholdFactory(
        corporation=corporation, neighbourhood=neighbourhood, postcode="9901 AB", house_number=12
    )
    HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood, postcode="9901 AB")
    body = {"postcode": "9901ab", "huisnummer": 12}
    response = call(key, "post", SEARCH, body)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["resultaten"]] == [home.pk]
    # The access log keeps a digest of what was searched, never the address itself.
    detail = AccessLog.objects.get().detail
    assert "9901" not in str(detail) and detail["query"]


def test_the_search_finds_by_tenancy_reference(call, key, household, other_household):
    found = call(key, "post", SEARCH, {"huurcontractnummer": household.tenancy_reference.lower()})
    assert [r["id"] for r in found.json()["resultaten"]] == [household.pk]
    other = call(key, "post", SEARCH, {"huurcontractnummer": other_household.tenancy_reference})
    assert other.json()["resultaten"] == []


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({}, ["nonFieldErrors"]),
        ({"postcode": "9901 AB", "huisnummer": 1, "huurcontractnummer": "X"}, ["nonFieldErrors"]),
        ({"postcode": "9901 AB"}, ["huisnummer"]),
        ({"postcode": "99 AB", "huisnummer": 1}, ["postcode"]),
        ({"postcode": "9901 AB", "huisnummer": 0}, ["huisnummer"]),
    ],
)
def test_a_search_needs_an_address_or_a_reference(call, key, body, names):
    response = call(key, "post", SEARCH, body)
    assert response.status_code == 400
    problem = response.json()
    assert [p["name"] for p in problem["invalidParams"]] == names
    assert problem["title"] == "Ongeldige invoer"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("get", LIST, None), ("get", "one", None), ("post", SEARCH, {"huurcontractnummer": "X"})],
)
def test_each_household_resource_is_refused_without_key_or_scope(
    call, api_key, corporation, household, method, path, body
):
    path = one(household.pk) if path == "one" else path
    _api, without_scope = api_key(corporation, Scope.REFERRALS_READ, name="Ander")
    assert call(None, method, path, body).status_code == 401
    assert call(without_scope, method, path, body).status_code == 403
    assert not AccessLog.objects.exists()


def test_a_search_by_tenancy_reference_finds_that_one_and_nothing_else(call, key, household):
    def found(reference):
        body = {"huurcontractnummer": reference}
        return [row["id"] for row in call(key, "post", SEARCH, body).json()["resultaten"]]

    assert found(household.tenancy_reference.lower()) == [household.pk]
    # Not a name or a street: a reference is meant exactly.
    for part in ("Anna", "a", "Lindelaan", household.tenancy_reference[:-1]):
        assert found(part) == [], part
