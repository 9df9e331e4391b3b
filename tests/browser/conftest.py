"""Playwright driving Debian's Chromium (never a downloaded browser) against the live server."""

import os

import pytest

from tests.conftest import CHROMIUM, IN_CI

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NARROW_PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        if IN_CI:
            pytest.fail(f"Chromium is required under CI=true ({CHROMIUM}).")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
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
