"""The corporation's signals out to its rental system as VERA signaleringen (issue 17 item 3,
ADR 0027): only its own households' signals, oldest first, without any description, filtered
by VERA status and by the moment they changed; a category VERA has no soort for is left out
with the reason; each household shown is in the access log as the system's read."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import AccessLog, Signal
from partners.models import ApiClient
from tests.factories import HouseholdFactory, SignalCategoryFactory, SignalFactory

pytestmark = pytest.mark.django_db
Scope = ApiClient.Scope
LIST = "/api/v1/signaleringen"


@pytest.fixture
def system(api_key, corporation):
    return api_key(corporation, Scope.SIGNALS_READ)


@pytest.fixture
def lonely(db):
    return SignalCategoryFactory(code="eenzaamheid", name="Eenzaamheid")


@pytest.fixture
def debt(db):
    return SignalCategoryFactory(code="huurachterstand", name="Huurachterstand")


def signal(household, category, *, days_ago=0, **fields):
    made = timezone.now() - timedelta(days=days_ago)
    return SignalFactory(
        household=household, category=category, created_at=made, status_changed_at=made, **fields
    )


def test_the_corporations_own_signals_as_signaleringen_oldest_first(
    call, system, household, other_household, lonely, debt
):
    older = signal(household, debt, days_ago=3, severity="hoog")
    newer = signal(household, lonely, days_ago=1)
    signal(other_household, lonely)  # another corporation's
    response = call(system[1], "get", LIST)
    assert response.status_code == 200
    rows = response.json()["resultaten"]
    assert [row["id"] for row in rows] == [str(older.pk), str(newer.pk)]
    first = rows[0]
    assert first["soort"] == {"code": "SCH", "naam": "Huurschuld"}
    assert first["detailSoort"]["code"] == "BET"
    assert first["status"]["code"] == "ACT"
    assert first["begindatum"].endswith("Z") and "einddatum" not in first
    assert {e["naam"]: e["waarde"] for e in first["extra-attributen"]} == {
        "categorie": "huurachterstand",
        "ernst": "hoog",
        "huurovereenkomst": household.tenancy_reference,
    }
    assert "Gezien bij huisbezoek" not in response.content.decode()  # no description leaves


def test_a_category_without_a_vera_soort_is_left_out_with_why(call, system, household):
    other = SignalCategoryFactory(code="anders", name="Anders")
    left = signal(household, other)
    body = call(system[1], "get", LIST).json()
    assert body["resultaten"] == []
    assert body["weggelaten"] == [
        {
            "id": left.pk,
            "categorie": "anders",
            "reden": "VERA heeft geen soort signalering voor ‘anders’; Inclusie gokt er geen.",
        }
    ]


def test_status_and_changed_since_filter(call, system, household, lonely):
    open_ = signal(household, lonely, days_ago=10)
    closed = signal(household, lonely, days_ago=10, status="gesloten")
    Signal.objects.filter(pk=closed.pk).update(status_changed_at=timezone.now())
    old = signal(household, lonely, days_ago=30, status="opgelost")

    def ids(query):
        return [r["id"] for r in call(system[1], "get", f"{LIST}?{query}").json()["resultaten"]]

    assert ids("status=ACT") == [str(open_.pk)]
    assert ids("status=VER") == [str(old.pk), str(closed.pk)]
    since = (timezone.now() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"gewijzigdSinds={since}") == [str(closed.pk)]
    ended = call(system[1], "get", f"{LIST}?status=VER").json()["resultaten"][1]
    assert ended["einddatum"].endswith("Z")


@pytest.mark.parametrize(
    "query", ["status=open", "gewijzigdSinds=gisteren", "gewijzigdSinds=2026-12-01T08:00:00"]
)
def test_a_wrong_filter_is_a_400_naming_it(call, system, query):
    response = call(system[1], "get", f"{LIST}?{query}")
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == [query.split("=")[0]]


def test_an_erased_households_signals_do_not_leave(call, system, household, lonely):
    signal(household, lonely)
    household.__class__.objects.filter(pk=household.pk).update(anonymised_at=timezone.now())
    assert call(system[1], "get", LIST).json()["resultaten"] == []


def test_a_partner_client_with_the_scope_forced_is_refused(call, api_key, welfare, shared):
    api, key = api_key(welfare, Scope.REFERRALS_READ)
    ApiClient.objects.filter(pk=api.pk).update(scopes=[Scope.SIGNALS_READ])
    response = call(key, "get", LIST)
    assert response.status_code == 403
    assert not AccessLog.objects.filter(channel="api").exists()


def test_without_the_scope_it_is_a_403(call, api_key, corporation):
    _api, key = api_key(corporation, Scope.HOUSEHOLDS_READ)
    assert call(key, "get", LIST).status_code == 403


def test_each_household_shown_is_in_the_access_log(call, system, household, lonely):
    api, key = system
    signal(household, lonely)
    call(key, "get", LIST)
    row = AccessLog.objects.get(channel="api")
    assert (row.household_id, row.agent, row.action) == (
        household.pk,
        api.reference,
        AccessLog.Action.SEARCH,
    )
    assert row.detail["list"] == "signaleringen"


def test_the_list_costs_the_same_queries_for_one_signal_or_many(
    call, system, corporation, neighbourhood, lonely, debt
):
    signal(HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood), lonely)
    call(system[1], "get", LIST)  # warm: the client's key, the categories
    with CaptureQueriesContext(connection) as one:
        call(system[1], "get", LIST)
    for number in range(10):
        household = HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood)
        signal(household, debt if number % 2 else lonely)
    with CaptureQueriesContext(connection) as many:
        assert len(call(system[1], "get", LIST).json()["resultaten"]) == 11
    assert len(many) == len(one), [q["sql"][:150] for q in many.captured_queries]
