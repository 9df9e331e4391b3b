"""The session's clock for the page's timer (ADR 0016): asking is no activity, "Stay signed
in" is."""

import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from inclusie.middleware import BACKGROUND_HEADER, LAST_SEEN_KEY, STARTED_KEY

pytestmark = pytest.mark.django_db

TIMER = {BACKGROUND_HEADER: "1"}


def _idle_for(client, seconds):
    session = client.session
    now = int(time.time())
    session[STARTED_KEY] = now - seconds - 60
    session[LAST_SEEN_KEY] = now - seconds
    session.save()
    return now - seconds


def test_the_timer_learns_the_seconds_left_without_counting_as_activity(login, admin):
    client = login(admin)
    last_seen = _idle_for(client, 26 * 60)
    response = client.get(reverse("sessions:status"), headers=TIMER)
    assert response.status_code == 200
    assert abs(response.json()["remaining"] - (settings.SESSION_IDLE_TIMEOUT - 26 * 60)) <= 2
    assert client.session[LAST_SEEN_KEY] == last_seen


def test_stay_signed_in_counts_as_activity(login, admin):
    client = login(admin)
    last_seen = _idle_for(client, 26 * 60)
    response = client.post(reverse("sessions:status"))
    assert abs(response.json()["remaining"] - settings.SESSION_IDLE_TIMEOUT) <= 2
    assert client.session[LAST_SEEN_KEY] >= last_seen + 26 * 60


def test_past_the_limit_the_timer_is_told_the_session_ended(login, admin):
    client = login(admin)
    _idle_for(client, settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get(reverse("sessions:status"), headers=TIMER)
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith(reverse("account_login"))


def test_staying_signed_in_needs_a_login_and_the_csrf_token(client, admin):
    assert client.get(reverse("sessions:status"))["Location"].startswith(reverse("account_login"))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin.user, backend="django.contrib.auth.backends.ModelBackend")
    assert strict.post(reverse("sessions:status")).status_code == 403


def test_wrong_method(login, admin):
    assert login(admin).put(reverse("sessions:status")).status_code == 405


def test_every_page_tells_the_timer_when_the_session_ends_and_when_to_warn(login, admin):
    client = login(admin)
    html = client.get(reverse("start")).content.decode()
    remaining = int(re.search(r'data-session-remaining="(\d+)"', html).group(1))
    assert settings.SESSION_IDLE_TIMEOUT - 60 <= remaining <= settings.SESSION_IDLE_TIMEOUT
    assert f'data-session-warning="{settings.SESSION_WARNING_SECONDS}"' in html
    assert f'data-session-url="{reverse("sessions:status")}"' in html
    assert 'role="alertdialog"' in html
