"""Every operation of the API, read from the OpenAPI document the application serves (issue 17
item 6): without a key a 401, without the scope the operation needs a 403, and for an object
of another organisation a 404, whatever scopes that organisation's client has. A resource added
later without a row in OPERATIONS fails here, so nothing is published unchecked."""

import json

import pytest
from django.urls import resolve

from cases.models import HouseholdImport
from partners.models import ApiClient

pytestmark = pytest.mark.django_db
Scope = ApiClient.Scope
METHODS = ("get", "post", "put", "patch", "delete")

# Per operation: whose object it names ("corporation": the household's corporation owns it,
# "receiver": welfare, to which the referral is addressed; None: a collection) and a body that
# would be accepted, so that a refusal is about who asks and not about what they sent.
ANSWER = {"versie": 1, "reden": "anders", "toelichting": "x", "uitkomst": "geholpen"}
OPERATIONS = {
    ("get", "/huishoudens"): (None, None),
    ("post", "/huishoudens/_zoek"): (None, {"huurcontractnummer": "HC-1"}),
    ("get", "/huishoudens/{id}"): ("corporation", None),
    ("post", "/huurovereenkomsten/_importeren"): (None, {"huurovereenkomsten": []}),
    ("get", "/imports/{id}"): ("corporation", None),
    ("get", "/signaleringen"): (None, None),
    ("get", "/verwijzingen"): (None, None),
    ("get", "/verwijzingen/{id}"): ("receiver", None),
    ("post", "/verwijzingen/{id}/_accepteren"): ("receiver", ANSWER),
    ("post", "/verwijzingen/{id}/_weigeren"): ("receiver", ANSWER),
    ("post", "/verwijzingen/{id}/_afronden"): ("receiver", ANSWER),
}


def operations(client) -> list[tuple[str, str]]:
    document = json.loads(client.get("/api/v1/openapi.json").content)
    return [
        (method, path)
        for path, item in document["paths"].items()
        for method in METHODS
        if method in item
    ]


def test_every_operation_in_the_document_is_in_this_matrix(client):
    assert set(operations(client)) == set(OPERATIONS)


@pytest.fixture
def objects(household, referral, corporation, admin):
    sent = HouseholdImport.objects.create(
        organisation=corporation,
        created_by=admin.user,
        file_name="huurders.csv",
        encoding="utf-8",
        delimiter=";",
        status=HouseholdImport.Status.DONE,
    )
    return {"/huishoudens": household, "/imports": sent, "/verwijzingen": referral}


def url(path: str, objects: dict) -> str:
    if "{id}" in path:
        owner = objects["/" + path.split("/")[1]]
        path = path.replace("{id}", str(owner.pk))
    return "/api/v1" + path


def scope_of(method: str, path: str) -> str:
    view = resolve(path).func.view_class
    return view.scopes[method.upper()]


@pytest.mark.parametrize(("method", "path"), sorted(OPERATIONS))
def test_without_a_key_or_the_scope_it_is_refused(
    call, api_key, corporation, welfare, objects, method, path
):
    owner, body = OPERATIONS[(method, path)]
    address = url(path, objects)
    needed = scope_of(method, address)
    organisation = (
        welfare if owner == "receiver" or needed.startswith("verwijzingen") else corporation
    )
    corporation_only = organisation.kind == "corporatie"
    others = [
        s
        for s in Scope.values
        if s != needed
        and (corporation_only or s not in (Scope.HOUSEHOLDS_IMPORT, Scope.SIGNALS_READ))
    ]
    assert call(None, method, address, body).status_code == 401
    _client, without = api_key(organisation, *others, name="Zonder")
    response = call(without, method, address, body)
    assert response.status_code == 403, response.content
    assert needed in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path"), sorted(op for op, (owner, _body) in OPERATIONS.items() if owner)
)
def test_another_organisations_object_is_a_404(
    call, api_key, corporation, third_corporation, care, objects, method, path
):
    owner, body = OPERATIONS[(method, path)]
    # Another corporation for the corporation's objects; the sender and a third partner for a
    # referral addressed to welfare.
    strangers = [third_corporation] if owner == "corporation" else [corporation, care]
    for organisation in strangers:
        _client, key = api_key(organisation, name=f"Vreemd {organisation.pk}")
        response = call(key, method, url(path, objects), body)
        assert response.status_code == 404, (organisation, response.content)
        assert response["Content-Type"] == "application/problem+json"
