"""The API's OpenAPI document follows the design rules of docs/api/spectral.yaml (ADR 0025):
Spectral, installed from tools/spectral's lock file by scripts/test-prerequisites, finds no
error in the document the application serves, and finds each rule broken in a document that
breaks them."""

import copy
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPECTRAL = ROOT / "tools/spectral/node_modules/.bin/spectral"
RULESET = ROOT / "docs/api/spectral.yaml"
IN_CI = os.environ.get("CI", "").lower() == "true"

pytestmark = pytest.mark.django_db


@pytest.fixture
def spectral(tmp_path):
    if not SPECTRAL.exists():
        message = "Spectral is missing: scripts/test-prerequisites installs it (npm ci)."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)

    def lint(document: dict) -> tuple[int, list[dict]]:
        path = tmp_path / "openapi.json"
        path.write_text(json.dumps(document))
        run = subprocess.run(
            [str(SPECTRAL), "lint", "-r", str(RULESET), "-f", "json", "--quiet", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
        output = run.stdout.strip()
        assert output.startswith("["), run.stdout + run.stderr
        return run.returncode, json.loads(output)

    return lint


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_served_document_follows_the_design_rules(spectral, document):
    code, results = spectral(document)
    errors = [
        f"{r['code']} at {'.'.join(map(str, r['path']))}: {r['message']}"
        for r in results
        if r["severity"] == 0
    ]
    assert errors == []
    assert code == 0


def _broken(document: dict) -> dict:
    """The served document with one rule of each kind broken."""
    broken = copy.deepcopy(document)
    del broken["info"]["contact"]["email"]
    broken["info"]["version"] = "1.0"
    broken["servers"][0]["url"] = "https://inclusie.example/api"
    paths = broken["paths"]
    # A collection in the singular, with a trailing slash, and searched by postcode.
    listing = copy.deepcopy(paths["/huishoudens"])
    listing["get"]["operationId"] = "huishouden_lijst"
    listing["get"]["parameters"].append(
        {"in": "query", "name": "postcode", "schema": {"type": "string"}}
    )
    paths["/huishouden/"] = listing
    paths["/Verwijzingen_Oud"] = copy.deepcopy(paths["/verwijzingen"])
    paths["/Verwijzingen_Oud"]["get"]["operationId"] = "oud"
    one = paths["/huishoudens/{id}"]["get"]
    del one["operationId"]
    del one["responses"]["200"]["headers"]
    del one["responses"]["404"]
    one["responses"]["403"]["content"] = {"application/json": {"schema": {"type": "object"}}}
    search = paths["/huishoudens/_zoek"]["post"]
    del search["responses"]["400"]
    paths["/verwijzingen"]["get"]["parameters"][0]["name"] = "pagina_grootte"
    return broken


def test_a_document_that_breaks_the_rules_fails_the_lint(spectral, document):
    code, results = spectral(_broken(document))
    assert code != 0
    found = {r["code"] for r in results if r["severity"] == 0}
    assert found >= {
        "inclusie-contact",
        "inclusie-semver",
        "inclusie-server-major-version",
        "inclusie-no-trailing-slash",
        "inclusie-kebab-case",
        "inclusie-plural-collections",
        "inclusie-no-personal-data-in-urls",
        "inclusie-operation-id",
        "inclusie-version-header",
        "inclusie-not-found",
        "inclusie-problem-json",
        "inclusie-invalid-input",
        "inclusie-query-camel-case",
    }
