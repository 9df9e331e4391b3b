import re
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from inclusie.middleware import LAST_SEEN_KEY, STARTED_KEY

pytestmark = pytest.mark.django_db


def test_content_security_policy_forbids_inline_code_and_other_hosts(client):
    csp = client.get(reverse("account_login"))["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp


def test_the_usual_security_headers(client):
    response = client.get(reverse("account_login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_authenticated_pages_are_never_cached(login, admin):
    client = login(admin)
    for url in (reverse("start"), reverse("partners:member_list")):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control


def test_pages_load_nothing_from_another_host(login, admin):
    html = login(admin).get(reverse("start")).content.decode()
    for attribute in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not attribute.startswith(("http:", "https:", "//")), attribute


def test_no_inline_script_or_style_on_pages(login, admin, client):
    pages = [reverse("account_login")]
    login(admin)
    pages += [reverse("start"), reverse("partners:member_list"), reverse("partners:member_invite")]
    for url in pages:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html, url
        assert not re.search(r'\sstyle="', html), url
        assert not re.search(r"\son[a-z]+=", html), url


def _age_session(client, *, started_ago=0, idle_for=0):
    session = client.session
    now = int(time.time())
    session[STARTED_KEY] = now - started_ago
    session[LAST_SEEN_KEY] = now - idle_for
    session.save()


def test_a_session_ends_after_thirty_minutes_idle(login, admin):
    client = login(admin)
    assert client.get(reverse("start")).status_code == 200
    _age_session(client, started_ago=40 * 60, idle_for=29 * 60)
    assert client.get(reverse("start")).status_code == 200
    _age_session(client, started_ago=40 * 60, idle_for=31 * 60)
    response = client.get(reverse("start"))
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("start"))["Location"].startswith(reverse("account_login"))


def test_a_session_ends_after_twelve_hours_however_active(login, admin):
    client = login(admin)
    _age_session(client, started_ago=12 * 3600 - 60, idle_for=0)
    assert client.get(reverse("start")).status_code == 200
    _age_session(client, started_ago=12 * 3600 + 1, idle_for=0)
    assert client.get(reverse("start"))["Location"].startswith(reverse("account_login"))


@override_settings(SESSION_IDLE_TIMEOUT=1800)
def test_activity_keeps_the_session_and_its_cookie_alive(login, admin):
    client = login(admin)
    client.get(reverse("start"))
    assert 0 < client.session.get_expiry_age() <= 1800
