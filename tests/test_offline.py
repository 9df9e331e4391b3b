"""The installable app (ADR 0030): the manifest and the service worker from the site root, and
the pages a phone may keep, marked by the server: the visit form, the start page and a
household's page; never a list."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
KEEP = "Inclusie-Offline"


def test_the_service_worker_is_served_from_the_root_and_never_from_a_cache(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.content.decode()
    config = json.loads(body.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert "/static/js/offline.js" in config["assets"]
    assert config["header"] == KEEP
    assert "http" not in " ".join(config["assets"]), "no other host"


def test_the_manifest_opens_the_start_page_as_an_app(client):
    data = client.get("/manifest.webmanifest").json()
    assert (data["start_url"], data["scope"], data["display"]) == ("/", "/", "standalone")
    assert all(icon["src"].startswith("/static/") for icon in data["icons"])


def test_pages_link_the_manifest_and_name_the_worker(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert 'data-service-worker="/sw.js"' in html


def test_the_pages_a_person_opens_may_be_kept_lists_may_not(login, corporation_worker, household):
    client = login(corporation_worker)
    kept = [
        reverse("start"),
        reverse("cases:household_detail", args=[household.pk]),
        reverse("cases:visit_create", args=[household.pk]),
    ]
    for path in kept:
        assert client.get(path)[KEEP] == "keep", path
    for path in [reverse("cases:household_list"), reverse("cases:signal_list")]:
        assert KEEP not in client.get(path), path
    # A refused form (shown again with its messages) is not kept.
    refused = client.post(reverse("cases:visit_create", args=[household.pk]), {})
    assert KEEP not in refused


def test_a_household_not_visible_is_not_kept(login, corporation_worker, other_household):
    response = login(corporation_worker).get(
        reverse("cases:household_detail", args=[other_household.pk])
    )
    assert response.status_code == 404 and KEEP not in response
