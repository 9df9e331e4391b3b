"""Referrals through the API (ADR 0025): a partner's system reads the referrals addressed to its
organisation and answers them through the pages' workflow services, on the version it saw;
what it did is in the history and the access log under its name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import AccessLog, HouseholdEvent, Referral
from cases.services.referrals import referral_accept, referral_send
from partners.models import ApiClient
from tests.factories import SignalFactory

pytestmark = pytest.mark.django_db
Scope = ApiClient.Scope
LIST = "/api/v1/verwijzingen"


def one(referral, answer: str = "") -> str:
    return f"/api/v1/verwijzingen/{referral.pk}" + (f"/_{answer}" if answer else "")


@pytest.fixture
def partner(api_key, welfare):
    """Welfare's case system, with every scope a partner may have."""
    return api_key(welfare, name="Welzijnsregistratie")


@pytest.fixture
def key(partner):
    return partner[1]


def test_the_list_shows_the_referrals_addressed_to_the_organisation(call, key, referral):
    body = call(key, "get", LIST).json()
    assert [r["id"] for r in body["resultaten"]] == [referral.pk]
    row = body["resultaten"][0]
    assert (row["status"], row["versie"], row["van"]["naam"]) == (
        "verzonden",
        1,
        "Woonstichting Testdorp",
    )
    assert row["huishouden"]["straat"] == "Lindelaan"


def test_the_sender_and_others_see_none_of_them_here(call, api_key, corporation, referral, care):
    for organisation in (corporation, care):
        _api, key = api_key(organisation, Scope.REFERRALS_READ, name=f"Systeem {organisation.pk}")
        assert call(key, "get", LIST).json()["resultaten"] == []
        assert call(key, "get", one(referral)).status_code == 404


def test_the_list_filters_by_status(call, key, referral):
    assert call(key, "get", f"{LIST}?status=geaccepteerd").json()["resultaten"] == []
    assert len(call(key, "get", f"{LIST}?status=verzonden").json()["resultaten"]) == 1
    response = call(key, "get", f"{LIST}?status=bijna")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "status"


def test_each_referral_listed_is_in_the_access_log_as_the_clients(call, partner, referral):
    api, key = partner
    call(key, "get", LIST)
    row = AccessLog.objects.get(agent=api.reference)
    assert (row.channel, row.agent_name, row.household_id) == (
        "api",
        "Welzijnsregistratie",
        referral.household_id,
    )
    assert row.legal_basis == referral.legal_basis


def test_the_list_reads_as_many_queries_for_one_referral_as_for_twenty(
    call, key, referral, corporation_worker, welfare, lonely
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert call(key, "get", LIST).status_code == 200
        return len(queries)

    few = count()
    for _ in range(19):
        signal = SignalFactory(household=referral.household, category=lonely)
        referral_send(
            actor=corporation_worker,
            household=referral.household,
            to_organisation=welfare,
            signals=[signal],
        )
    assert len(call(key, "get", LIST).json()["resultaten"]) == 20
    assert count() == few


def test_one_referral_with_its_message_and_signals(call, partner, referral):
    api, key = partner
    body = call(key, "get", one(referral)).json()
    assert body["bericht"] == "Mevrouw zit veel alleen."
    assert [s["categorie"] for s in body["signalen"]] == [referral.signals.get().category.name]
    row = AccessLog.objects.get(agent=api.reference)
    assert (row.action, row.object_id) == ("view", str(referral.pk))


def test_a_system_accepts_on_the_version_it_saw(call, partner, referral):
    api, key = partner
    response = call(key, "post", one(referral, "accepteren"), {"versie": 1})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["versie"]) == ("geaccepteerd", 2)
    referral.refresh_from_db()
    assert (referral.status, referral.responded_by_id) == ("geaccepteerd", None)
    event = HouseholdEvent.objects.get(kind=HouseholdEvent.Kind.REFERRAL_ACCEPTED)
    assert (event.user_id, event.data["agent"]) == (None, "Welzijnsregistratie")
    change = AccessLog.objects.get(agent=api.reference, action="update")
    assert (change.channel, change.object_id) == ("api", str(referral.pk))


def test_an_answer_on_an_old_version_is_a_409_naming_who_changed_it(
    call, key, referral, welfare_worker
):
    referral_accept(actor=welfare_worker, referral=referral)
    response = call(
        key,
        "post",
        one(referral, "weigeren"),
        {"versie": 1, "reden": "anders", "toelichting": "Vol"},
    )
    assert response.status_code == 409
    problem = response.json()
    assert problem["title"] == "Conflict"
    assert "Fatma Test" in problem["detail"] and "geaccepteerd" in problem["detail"]
    assert Referral.objects.get().status == "geaccepteerd"


def test_the_page_names_the_system_that_accepted_already(call, key, referral, welfare_worker):
    call(key, "post", one(referral, "accepteren"), {"versie": 1})
    again = call(key, "post", one(referral, "accepteren"), {"versie": 2})
    assert again.status_code == 409
    assert "Welzijnsregistratie" in again.json()["detail"]


def test_a_decline_needs_its_reason(call, key, referral):
    response = call(key, "post", one(referral, "weigeren"), {"versie": 1, "reden": "anders"})
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["toelichting"]
    response = call(
        key,
        "post",
        one(referral, "weigeren"),
        {"versie": 1, "reden": "geen_capaciteit", "toelichting": "Wachtlijst tot maart."},
    )
    assert response.json()["status"] == "afgewezen"
    referral.refresh_from_db()
    assert (referral.decline_category, referral.decline_reason) == (
        "geen_capaciteit",
        "Wachtlijst tot maart.",
    )


def test_a_system_completes_with_the_outcome(call, key, referral):
    call(key, "post", one(referral, "accepteren"), {"versie": 1})
    body = {"versie": 2, "uitkomst": "geholpen", "toelichting": "Maatje gevonden."}
    response = call(key, "post", one(referral, "afronden"), body)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["uitkomst"]) == ("afgerond", "geholpen")
    assert response.json()["toelichtingUitkomst"] == "Maatje gevonden."


def test_completing_a_referral_not_accepted_is_a_409(call, key, referral):
    body = {"versie": 1, "uitkomst": "geholpen"}
    assert call(key, "post", one(referral, "afronden"), body).status_code == 409
    assert not AccessLog.objects.filter(action="update").exists()


@pytest.mark.parametrize("answer", ["accepteren", "weigeren", "afronden"])
def test_each_answer_is_refused_without_key_scope_or_being_the_receiver(
    call, api_key, welfare, corporation, referral, answer
):
    body = {"versie": 1, "reden": "anders", "toelichting": "x", "uitkomst": "geholpen"}
    _read, read_only = api_key(welfare, Scope.REFERRALS_READ, name="Alleen lezen")
    _sender, sender = api_key(corporation, name="Huursysteem")
    assert call(None, "post", one(referral, answer), body).status_code == 401
    assert call(read_only, "post", one(referral, answer), body).status_code == 403
    assert call(sender, "post", one(referral, answer), body).status_code == 404
    assert Referral.objects.get().status == "verzonden"


@pytest.mark.parametrize("path", ["list", "one"])
def test_reading_is_refused_without_key_or_scope(call, api_key, welfare, referral, path):
    path = LIST if path == "list" else one(referral)
    _api, households_only = api_key(welfare, Scope.HOUSEHOLDS_READ, name="Ander")
    assert call(None, "get", path).status_code == 401
    assert call(households_only, "get", path).status_code == 403


def test_the_timeline_names_the_system_where_it_names_a_person(
    call, key, referral, login, corporation_worker
):
    call(key, "post", one(referral, "accepteren"), {"versie": 1})
    page = login(corporation_worker).get(f"/huishoudens/{referral.household_id}/")
    assert "systeem Welzijnsregistratie, Welzijn Testdorp" in page.content.decode()
