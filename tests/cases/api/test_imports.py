"""The rental system sends its tenancies through the API (issue 17 item 3, ADR 0027): a batch
in VERA's shape is imported all or nothing by the same import as a file; the answer tells per
record whether it is valid with the VERA field and a Dutch reason, names possible duplicates,
and the import can be read back. Only a corporation's client with the scope may; the import's
history and access log name the system."""

import copy
import json
from pathlib import Path

import pytest
from django.urls import reverse

from cases.api.imports import STATES
from cases.models import AccessLog, Household, HouseholdEvent, HouseholdImport
from cases.services.duplicates import household_merge
from cases.services.imports import household_import_run
from partners.models import ApiClient
from partners.services.clients import client_revoke
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
Scope = ApiClient.Scope
BATCH = json.loads(
    (Path(__file__).resolve().parent.parent / "data" / "vera_batch.json").read_text()
)
SEND = "/api/v1/huurovereenkomsten/_importeren"


@pytest.fixture(autouse=True)
def _eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def system(api_key, corporation, buurten):
    return api_key(corporation, Scope.HOUSEHOLDS_IMPORT)


def send(call, key, records=BATCH, **headers):
    return call(key, "post", SEND, {"huurovereenkomsten": records}, **headers)


def test_a_valid_batch_is_imported_and_told_per_record(call, system, corporation):
    api, key = system
    response = send(call, key)
    assert response.status_code == 202, response.content
    body = response.json()
    assert response["Location"] == body["url"]
    assert body["url"].endswith(f"/api/v1/imports/{body['id']}")
    assert body["status"] == "geimporteerd"
    assert body["huishoudens"] == {"nieuw": 3, "gewijzigd": 0, "ongewijzigd": 0}
    assert [(r["index"], r["huurovereenkomst"], r["geldig"]) for r in body["resultaten"]] == [
        (0, "HC-3001", True),
        (1, "HC-3002", True),
        (2, "HC-3003", True),
    ]
    assert Household.objects.filter(corporation=corporation).count() == 3

    sent = HouseholdImport.objects.get()
    assert (sent.api_client, sent.created_by, sent.started_by) == (api, None, None)


def test_the_history_and_the_access_log_name_the_system(call, system, corporation):
    api, key = system
    send(call, key)
    household = Household.objects.get(tenancy_reference="HC-3001")
    event = HouseholdEvent.objects.get(household=household)
    assert event.user_id is None
    assert event.data["agent"] == "Huursysteem"
    row = AccessLog.objects.get(household=household, action=AccessLog.Action.IMPORT)
    assert (row.channel, row.agent, row.agent_name, row.user_id) == (
        "api",
        api.reference,
        "Huursysteem",
        None,
    )
    assert (row.organisation_id, row.origin) == (corporation.pk, "127.0.0.1")


def test_a_batch_with_one_bad_record_imports_nothing_and_says_where(call, system):
    records = copy.deepcopy(BATCH)
    del records[1]["relaties"][0]["achternaam"]
    response = send(call, system[1])
    response = send(call, system[1], records)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "Niet te verwerken"
    assert body["detail"].startswith("1 van 3 huurovereenkomsten heeft problemen. Er wordt niets")
    bad = [r for r in body["fouten"] if not r["geldig"]]
    assert [(r["index"], r["huurovereenkomst"]) for r in bad] == [(1, "HC-3002")]
    assert bad[0]["fouten"][0]["veld"] == "relaties[0].achternaam"
    assert "achternaam" in bad[0]["fouten"][0]["melding"].lower()
    # The first batch went in; the second changed nothing.
    assert Household.objects.count() == 3
    assert call(system[1], "get", body["url"]).json()["status"] == "ongeldig"


def test_a_bad_record_of_a_new_batch_leaves_every_household_as_it_was(call, system):
    records = copy.deepcopy(BATCH)
    records[0]["eenheden"][0]["adres"]["straatnaam"] = "Nieuwe Laan"
    records[2]["status"] = {"code": "XXX"}
    assert send(call, system[1], records).status_code == 422
    assert not Household.objects.exists()
    assert not AccessLog.objects.filter(action=AccessLog.Action.IMPORT).exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({}, "Dit veld is verplicht."),
        ({"huurovereenkomsten": "HC-1"}, "Verwachtte een lijst met items"),
        ({"huurovereenkomsten": []}, "De batch bevat geen huurovereenkomsten."),
    ],
)
def test_a_batch_that_is_no_list_of_tenancies_is_a_400(call, system, body, reason):
    response = call(system[1], "post", SEND, body)
    assert response.status_code == 400
    params = response.json()["invalidParams"]
    assert [p["name"] for p in params] == ["huurovereenkomsten"]
    assert params[0]["reason"].startswith(reason)
    assert not HouseholdImport.objects.exists()


def test_possible_duplicates_are_named_and_their_reading_logged(
    call, system, corporation, neighbourhood
):
    there = HouseholdFactory(
        corporation=corporation,
        tenancy_reference="OUD-1",
        street="Lindelaan",
        house_number=12,
        house_number_addition="a",
        postcode="1234 AB",
        neighbourhood=neighbourhood,
    )
    body = send(call, system[1]).json()
    assert body["mogelijkeDubbelen"] == [
        {
            "huurovereenkomst": "HC-3001",
            "overeenkomsten": [
                {
                    "huishouden": there.pk,
                    "huurovereenkomst": "OUD-1",
                    "zelfdeAdres": True,
                    "zelfdeBewoners": 0,
                }
            ],
            "samengevoegdIn": None,
        }
    ]
    logged = AccessLog.objects.get(household=there, action=AccessLog.Action.SEARCH)
    assert logged.detail["duplicates"] is True and logged.channel == "api"


def test_an_import_waiting_for_its_worker_reads_as_busy_then_done(call, system, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = send(call, system[1])
    assert response.status_code == 202
    assert response.json()["status"] == "bezig"
    assert not Household.objects.exists()
    household_import_run(import_id=response.json()["id"])  # what the worker does
    done = call(system[1], "get", response["Location"]).json()
    assert done["status"] == "geimporteerd"
    assert done["huishoudens"]["nieuw"] == 3
    assert done["afgerondOp"]


def test_a_failed_run_keeps_its_reasons_per_record(call, system, settings, buurten):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = send(call, system[1])
    buurten[1].delete()  # the buurt went away before the worker ran (HC-3003 names the wijk)
    household_import_run(import_id=response.json()["id"])
    failed = call(system[1], "get", response["Location"]).json()
    assert failed["status"] == "mislukt"
    assert failed["reden"].startswith("Sinds de controle")
    assert [(r["huurovereenkomst"], r["geldig"]) for r in failed["resultaten"]] == [
        ("HC-3001", False),
        ("HC-3002", False),
        ("HC-3003", True),
    ]


def test_another_organisations_import_is_a_404(call, system, api_key, third_corporation):
    sent = send(call, system[1]).json()
    _other, other_key = api_key(third_corporation, Scope.HOUSEHOLDS_IMPORT)
    response = call(other_key, "get", sent["url"])
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_without_the_scope_it_is_a_403(call, api_key, corporation, buurten):
    _api, key = api_key(corporation, Scope.HOUSEHOLDS_READ)
    assert send(call, key).status_code == 403
    assert not HouseholdImport.objects.exists()


def test_only_a_corporation_imports_even_with_the_scope(call, api_key, welfare, buurten):
    api, key = api_key(welfare, Scope.REFERRALS_READ)
    ApiClient.objects.filter(pk=api.pk).update(scopes=[Scope.HOUSEHOLDS_IMPORT])
    response = send(call, key)
    assert response.status_code == 403
    assert "woningcorporatie" in response.json()["detail"]
    assert not HouseholdImport.objects.exists()


def test_the_import_page_says_which_system_sent_it(client, call, system, admin):
    send(call, system[1])
    client.force_login(admin.user)
    page = client.get(reverse("imports:upload"))
    assert "systeem Huursysteem" in page.content.decode()


def test_every_state_of_an_import_has_its_name_in_the_api():
    assert set(STATES) == set(HouseholdImport.Status.values)


def test_a_batch_from_a_system_revoked_before_its_run_is_not_imported(
    call, system, settings, admin
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    api, key = system
    response = send(call, key)
    client_revoke(actor=admin, client=api)
    household_import_run(import_id=response.json()["id"])  # the worker, after the revocation
    assert not Household.objects.exists()
    sent = HouseholdImport.objects.get()
    assert sent.status == "failed" and sent.failure_reason == "revoked"
    assert not AccessLog.objects.filter(action=AccessLog.Action.IMPORT).exists()


def test_an_erased_households_reference_takes_nothing_in(call, system, corporation, household):
    records = copy.deepcopy(BATCH)
    records[0]["code"] = f"avg-{household.pk}"  # what an erasure makes of a reference, any case
    response = send(call, system[1], records)
    assert response.status_code == 422
    problem = response.json()["fouten"][0]["fouten"][0]
    assert (problem["veld"], problem["code"]) == ("code", "reserved_reference")
    assert "begint met AVG-" in problem["melding"]


@pytest.mark.parametrize("bad", ["Jan\x00sen", "Jan\ud800sen"])
def test_a_character_that_cannot_be_stored_is_a_reason_not_an_error(call, system, bad):
    records = copy.deepcopy(BATCH)
    records[0]["relaties"][0]["achternaam"] = bad
    records[1]["code"] = "HC\x00"
    response = send(call, system[1], records)
    assert response.status_code == 422
    bad_fields = {
        (r["huurovereenkomst"], f["veld"], f["code"])
        for r in response.json()["fouten"]
        for f in r["fouten"]
    }
    assert ("HC-3001", "relaties[0].achternaam", "unstorable") in bad_fields
    assert ("", "code", "unstorable") in bad_fields
    assert not Household.objects.exists()


def test_json_nested_too_deep_is_a_400(client, system):
    body = '{"huurovereenkomsten": [' + "[" * 5000 + "]" * 5000 + "]}"
    response = client.post(
        SEND,
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {system[1]}"},
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_a_body_over_the_limit_is_a_413_saying_how_large(call, system, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 2**20
    records = [copy.deepcopy(BATCH[0]) for _ in range(2500)]
    response = send(call, system[1], records)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert (
        response.json()["detail"] == "De inhoud is groter dan 2,0 MB. Stuur hem in kleinere delen."
    )
    assert not HouseholdImport.objects.exists()


def test_a_record_of_a_merged_household_says_where_it_went(call, system, admin):
    send(call, system[1])
    survivor, absorbed = Household.objects.filter(tenancy_reference__in=["HC-3001", "HC-3002"])
    household_merge(actor=admin, survivor=survivor, absorbed=absorbed)
    body = send(call, system[1]).json()
    went = [d for d in body["mogelijkeDubbelen"] if d["samengevoegdIn"]]
    assert [(d["huurovereenkomst"], d["samengevoegdIn"]) for d in went] == [
        (absorbed.tenancy_reference, survivor.tenancy_reference)
    ]
