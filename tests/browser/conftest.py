"""Playwright driving Debian's Chromium (never a downloaded browser) against the live server, and
axe-core (vendored in tests/browser/vendor, MPL-2.0) to check a page against WCAG 2.1 AA."""

import os
from pathlib import Path

import pytest

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NARROW_PHONE = {"width": 360, "height": 740}
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser(chromium, in_ci):
    if not os.access(chromium, os.X_OK):
        if in_ci:
            pytest.fail(f"Chromium is required under CI=true ({chromium}).")
        pytest.skip(f"Chromium is not installed at {chromium}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def launch_context(browser, viewport, **options):
    # An English browser: Inclusie must still speak Dutch first.
    return browser.new_context(viewport=viewport, locale="en-US", **options)


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def page(request, browser, live_server):
    context = launch_context(browser, request.param)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_problems = []
    page.on(
        "console",
        lambda message: (
            message.type in ("error", "warning") and page.console_problems.append(message.text)
        ),
    )
    page.base_url = live_server.url
    yield page
    context.close()


def violations(page):
    """Axe's WCAG 2.1 AA violations on the page, plus sideways scrolling (none at 360 px)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    # Axe is injected only in the checking test's context, which bypasses the CSP for that purpose.
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    found = [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in result["violations"]
    ]
    return found + ([f"scrolls sideways by {overflow}px"] if overflow > 0 else [])


def log_in(page, base_url, email, password):
    page.goto(base_url + "/account/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()


def server_session(context):
    """The server's session of a browser context (its cookie), to read or move its clock."""
    from django.conf import settings

    from partners.sessions import SessionStore

    key = next(c["value"] for c in context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    return SessionStore(session_key=key)


def pass_server_time(context, seconds):
    """As if this many seconds passed on the server with nothing done: the session's clock moves
    back. Returns the session's last-seen time after the move."""
    from partners.sessions import LAST_SEEN_KEY, STARTED_KEY

    session = server_session(context)
    session[STARTED_KEY] -= seconds
    session[LAST_SEEN_KEY] -= seconds
    session.save()
    return session[LAST_SEEN_KEY]
