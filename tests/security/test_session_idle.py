"""The idle limit counts what a person does, not what the page does on its own (ADR 0016): a
background poll neither keeps a session alive nor escapes its end, and whoever is sent to the
login page comes back to the page they were on."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from inclusie.middleware import BACKGROUND_HEADER, LAST_SEEN_KEY, STARTED_KEY

pytestmark = pytest.mark.django_db

POLL = {
    BACKGROUND_HEADER: "1",
    "HX-Request": "true",
    "HX-Current-URL": "http://testserver/meldingen/",
}


def _set_clock(client, *, idle_for, started_ago=60 * 60):
    session = client.session
    now = int(time.time())
    session[STARTED_KEY] = now - started_ago
    session[LAST_SEEN_KEY] = now - idle_for
    session.save()
    return now - idle_for


def _pass_time(client, seconds):
    """Move the session's clock back, as if this much time passed on the server."""
    session = client.session
    session[STARTED_KEY] -= seconds
    session[LAST_SEEN_KEY] -= seconds
    session.save()


def _next_of(url):
    return parse_qs(urlsplit(url).query)["next"][0]


def test_a_background_poll_does_not_count_as_activity(login, admin):
    client = login(admin)
    last_seen = _set_clock(client, idle_for=10 * 60)
    assert client.get(reverse("notifications:bell"), headers=POLL).status_code == 200
    assert client.session[LAST_SEEN_KEY] == last_seen
    # What the person does still counts.
    assert client.get(reverse("notifications:list")).status_code == 200
    assert client.session[LAST_SEEN_KEY] > last_seen


def test_a_session_idle_past_the_limit_with_only_polls_ends(login, admin):
    client = login(admin)
    _set_clock(client, idle_for=settings.SESSION_IDLE_TIMEOUT - 60)
    for _poll in range(3):  # a poll every 30 seconds for a minute and a half
        assert client.get(reverse("notifications:bell"), headers=POLL).status_code == 200
        _pass_time(client, 30)
    response = client.get(reverse("notifications:bell"), headers=POLL)
    assert response.status_code == 401, "a poll past the limit ends the session"
    login_url = response["HX-Redirect"]
    assert login_url.startswith(reverse("account_login"))
    assert _next_of(login_url) == "/meldingen/", "back to the page that polled, not the poll"
    assert client.get(reverse("start"))["Location"].startswith(reverse("account_login"))


def test_the_import_progress_poll_is_background_too(login, admin):
    """Both polls of the templates send the header (htmx merges it with the CSRF header)."""
    html = login(admin).get(reverse("start")).content.decode()
    assert f'hx-headers=\'{{"{BACKGROUND_HEADER}": "1"}}\'' in html
    progress = (settings.BASE_DIR / "templates/cases/import_progress.html").read_text()
    assert f'hx-headers=\'{{"{BACKGROUND_HEADER}": "1"}}\'' in progress


def test_a_poll_of_someone_logged_out_gets_401_not_a_login_page_in_the_bell(client):
    response = client.get(reverse("notifications:bell"), headers=POLL)
    assert response.status_code == 401
    assert _next_of(response["HX-Redirect"]) == "/meldingen/"


def test_a_form_sent_after_the_limit_comes_back_to_the_page_that_showed_it(login, admin):
    """The form's own URL may answer only POST; after logging in the person sees the page."""
    client = login(admin)
    _set_clock(client, idle_for=settings.SESSION_IDLE_TIMEOUT + 60)
    response = client.post(
        reverse("notifications:read_all"), headers={"Referer": "http://testserver/meldingen/"}
    )
    assert response.status_code == 302
    assert _next_of(response["Location"]) == "/meldingen/"


def test_a_referer_from_elsewhere_is_not_followed(login, admin):
    client = login(admin)
    _set_clock(client, idle_for=settings.SESSION_IDLE_TIMEOUT + 60)
    response = client.post(
        reverse("notifications:read_all"), headers={"Referer": "https://elders.example/x/"}
    )
    assert _next_of(response["Location"]) == reverse("notifications:read_all")


def test_a_page_asked_for_after_the_limit_comes_back_to_itself(login, admin):
    client = login(admin)
    _set_clock(client, idle_for=settings.SESSION_IDLE_TIMEOUT + 60)
    response = client.get(reverse("notifications:list") + "?page=2")
    assert _next_of(response["Location"]) == "/meldingen/?page=2"
