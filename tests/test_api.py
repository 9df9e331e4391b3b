"""What every answer of the API has (ADR 0024, 0025): a 401 without a valid key, a 403 without
the scope, problems as application/problem+json with Dutch titles, the API-Version header, a
404 problem for every other address (a trailing slash too, never a redirect), a rate limit per
client, and the OpenAPI document at its standard place, for anyone."""

import datetime
import json
import time

import pytest
from django.utils import timezone

from partners.models import ApiClient
from partners.services.clients import client_revoke
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
Scope = ApiClient.Scope
LIST = "/api/v1/huishoudens"


def get(client, key=None, path=LIST, **headers):
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return client.get(path, headers=headers)


def problem(response, status: int, title: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == "1.0.0"
    body = response.json()
    assert (body["status"], body["title"]) == (status, title)
    assert body["detail"]
    return body


def test_a_client_with_its_key_is_answered_with_the_version(client, api_key, corporation):
    _client, key = api_key(corporation)
    response = get(client, key)
    assert response.status_code == 200
    assert response["API-Version"] == "1.0.0"
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]


def test_without_a_key_it_is_a_401(client):
    body = problem(get(client), 401, "Niet aangemeld")
    assert body["instance"] == LIST
    assert get(client)["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer inc_000000000000_nope", "Basic dXNlcjpwYXNz", "Bearer", "inc_x"]
)
def test_a_wrong_key_is_a_401(client, header):
    problem(client.get(LIST, headers={"Authorization": header}), 401, "Niet aangemeld")


def test_a_revoked_key_is_a_401_at_once(client, api_key, corporation):
    api, key = api_key(corporation)
    assert get(client, key).status_code == 200
    admin = MembershipFactory(organisation=corporation, role="beheerder")
    client_revoke(actor=admin, client=api)
    body = problem(get(client, key), 401, "Niet aangemeld")
    assert "ingetrokken" in body["detail"]


def test_an_expired_key_is_a_401(client, api_key, corporation):
    _api, key = api_key(corporation, expires_at=timezone.now() + datetime.timedelta(hours=1))
    ApiClient.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    problem(get(client, key), 401, "Niet aangemeld")


def test_without_the_scope_it_is_a_403(client, api_key, corporation):
    _api, key = api_key(corporation, Scope.REFERRALS_READ)
    body = problem(get(client, key), 403, "Niet toegestaan")
    assert Scope.HOUSEHOLDS_READ in body["detail"]


@pytest.mark.parametrize(
    "path", ["/api/v1/huishoudens/", "/api/v1/bestaat-niet", "/api/v1/", "/api/v1/huishoudens/x"]
)
def test_any_other_address_is_a_404_problem_not_a_redirect(client, api_key, corporation, path):
    _api, key = api_key(corporation)
    problem(get(client, key, path), 404, "Niet gevonden")


def test_a_method_the_resource_does_not_take_is_a_405(client, api_key, corporation):
    _api, key = api_key(corporation)
    response = client.delete(LIST, headers={"Authorization": f"Bearer {key}"})
    problem(response, 405, "Methode niet toegestaan")
    assert "GET" in response["Allow"]


def test_a_body_that_is_not_json_is_a_400(client, api_key, corporation):
    _api, key = api_key(corporation)
    response = client.post(
        "/api/v1/huishoudens/_zoek",
        data="{niet json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    problem(response, 400, "Ongeldige invoer")


def test_a_client_past_its_rate_is_a_429_with_retry_after(
    client, api_key, corporation, welfare, settings
):
    settings.API_RATE_LIMIT = "3/min"
    _api, key = api_key(corporation)
    _other, other_key = api_key(welfare, Scope.HOUSEHOLDS_READ)
    assert [get(client, key).status_code for _ in range(3)] == [200, 200, 200]
    response = get(client, key)
    problem(response, 429, "Te veel verzoeken")
    assert 0 < int(response["Retry-After"]) <= 60
    # Counted per client: another organisation's system is not held up.
    assert get(client, other_key).status_code == 200


def test_an_address_sending_wrong_keys_is_held_up_but_valid_keys_pass(
    client, api_key, corporation, settings
):
    settings.API_FAILED_KEY_LIMIT = "3/hour"
    _api, key = api_key(corporation)
    wrong = key[:-4] + "xxxx"
    # Wrong keys are counted per clock hour: start where the four tries fit in one.
    if (left := 3600 - time.time() % 3600) < 20:
        time.sleep(left)
    assert [get(client, wrong).status_code for _ in range(3)] == [401, 401, 401]
    response = get(client, wrong)
    problem(response, 429, "Te veel verzoeken")
    assert 0 < int(response["Retry-After"]) <= 3600
    # Another system behind the same address, with its valid key, is not locked out.
    assert get(client, key).status_code == 200
    # Counted per address: a wrong key from elsewhere is a plain 401.
    elsewhere = client.get(
        LIST, headers={"Authorization": f"Bearer {wrong}"}, REMOTE_ADDR="10.9.8.7"
    )
    assert elsewhere.status_code == 401


def test_the_document_names_the_errors_and_their_headers(client):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    batch = document["paths"]["/huurovereenkomsten/_importeren"]["post"]["responses"]
    assert {"202", "400", "401", "403", "413", "415", "422", "429"} <= set(batch)
    assert "Location" in batch["202"]["headers"]
    assert "Retry-After" in batch["429"]["headers"]
    assert "WWW-Authenticate" in batch["401"]["headers"]


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/openapi.yaml"])
def test_the_openapi_document_is_public_at_its_standard_place(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["API-Version"] == "1.0.0"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_openapi_document_describes_every_resource(client):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == "1.0.0"
    assert set(document["paths"]) == {
        "/huishoudens",
        "/huishoudens/_zoek",
        "/huishoudens/{id}",
        "/huurovereenkomsten/_importeren",
        "/imports/{id}",
        "/signaleringen",
        "/verwijzingen",
        "/verwijzingen/{id}",
        "/verwijzingen/{id}/_accepteren",
        "/verwijzingen/{id}/_weigeren",
        "/verwijzingen/{id}/_afronden",
    }
