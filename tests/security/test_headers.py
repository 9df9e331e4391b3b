import re
import time

import pytest
from django.conf import settings
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


def test_public_pages_have_no_inline_code(client):
    """Logged-in pages are scanned by the URL walk; these are the ones seen before login."""
    for name in ("account_login", "account_reset_password", "account_signup"):
        html = client.get(reverse(name)).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), name
        assert "<style" not in html, name
        assert not re.search(r'\sstyle="', html), name
        assert not re.search(r"\son[a-z]+=", html), name


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


def test_the_session_cookie_dies_with_the_browser(client, corporation_worker, password):
    client.post(
        reverse("account_login"), {"login": corporation_worker.user.email, "password": password}
    )
    response = client.get(reverse("start"))
    assert response.status_code == 200
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == "", "no lasting cookie on shared PCs"
    assert cookie["secure"] and cookie["httponly"]
    assert client.session.get_expiry_age() <= settings.SESSION_ABSOLUTE_TIMEOUT
