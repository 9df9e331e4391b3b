"""The idle limit in the browser (ADR 0016), with Playwright's clock for the page and the
session's clock moved on the server: polls alone do not keep a session alive and end it at the
limit; a warning comes before the limit, readable on a 360 px phone, and "Aangemeld blijven"
keeps the person signed in."""

import re
import time

import pytest
from django.conf import settings

from partners.models import Session
from partners.sessions import LAST_SEEN_KEY
from tests.browser.conftest import (
    DESKTOP,
    NARROW_PHONE,
    launch_context,
    log_in,
    pass_server_time,
    server_session,
    violations,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BELL = "/meldingen/teller/"


def _open(browser, live_server, membership, password, viewport, **options):
    context = launch_context(browser, viewport, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.clock.install()
    log_in(page, live_server.url, membership.user.email, password)
    page.goto(live_server.url + "/meldingen/")
    return context, page


def test_idle_past_the_limit_with_only_polls_running_ends_the_session(
    browser, live_server, corporation_worker, password
):
    context, page = _open(browser, live_server, corporation_worker, password, DESKTOP)
    key = server_session(context).session_key
    # Two minutes before the limit, with nothing done but the bell asking every 30 seconds.
    left = 120
    last_seen = pass_server_time(context, settings.SESSION_IDLE_TIMEOUT - left)
    with page.expect_response(lambda r: BELL in r.url) as poll:
        page.clock.fast_forward((settings.SESSION_IDLE_TIMEOUT - left) * 1000)
    assert poll.value.status == 200
    with page.expect_response(lambda r: BELL in r.url) as poll:
        page.clock.fast_forward(settings.NOTIFICATION_POLL_SECONDS * 1000)
    assert poll.value.status == 200
    assert server_session(context)[LAST_SEEN_KEY] == last_seen, "a poll is no activity"

    pass_server_time(context, left + 60)
    page.clock.fast_forward((left + 60) * 1000)
    page.wait_for_url(re.compile(r"/account/login/\?next=/meldingen/$"), wait_until="commit")
    page.get_by_text("Je sessie is beëindigd. Meld je opnieuw aan.").wait_for()
    assert not Session.objects.filter(session_key=key).exists(), "ended on the server"
    context.close()


def test_a_warning_before_the_limit_and_staying_signed_in_on_a_small_phone(
    browser, live_server, corporation_worker, password
):
    # CSP bypassed only to let axe in (conftest.violations).
    context, page = _open(
        browser, live_server, corporation_worker, password, NARROW_PHONE, bypass_csp=True
    )
    warning = page.get_by_role("alertdialog", name="Je wordt bijna afgemeld")
    page.clock.fast_forward(60_000)
    assert not warning.is_visible(), "not yet"

    idle = settings.SESSION_IDLE_TIMEOUT - settings.SESSION_WARNING_SECONDS + 30
    pass_server_time(context, idle)
    page.clock.fast_forward(idle * 1000)
    warning.wait_for()
    assert re.search(r"Over [0-4]:\d\d minuten word je afgemeld", warning.inner_text())
    box = warning.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW_PHONE["width"]
    assert box["y"] + box["height"] <= NARROW_PHONE["height"]
    page.clock.resume()  # axe waits on timers of its own
    assert violations(page) == []

    before = int(time.time())
    with page.expect_response(lambda r: "/sessie/" in r.url and r.request.method == "POST"):
        warning.get_by_role("button", name="Aangemeld blijven").click()
    warning.wait_for(state="hidden")
    assert server_session(context)[LAST_SEEN_KEY] >= before, "the server counts it as activity"
    context.close()
