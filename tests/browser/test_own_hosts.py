"""The guard every browser test runs under (conftest.only_our_own_hosts): a page of ours that asks
another host for anything is caught, and what the site asks of itself is not."""

import pytest

from tests.browser.conftest import NARROW_PHONE, REQUESTS, foreign_requests, launch_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_request_to_another_host_is_caught_and_our_own_are_not(browser, live_server):
    context = launch_context(browser, NARROW_PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/account/login/")
    assert foreign_requests(live_server.url) == []
    assert any(url.startswith(live_server.url + "/static/") for url, _ in REQUESTS)

    # As if a template linked a font from a CDN (the address never resolves: no network here).
    with page.expect_request("**/font.woff2"):
        page.evaluate("url => { new Image().src = url; }", "https://cdn.example.invalid/font.woff2")
    assert foreign_requests(live_server.url) == ["https://cdn.example.invalid/font.woff2"]
    # ... unless that address is one the test lets the person visit (an identity provider).
    assert foreign_requests(live_server.url, ["https://cdn.example.invalid/"]) == []
    context.close()
    REQUESTS.clear()  # caught on purpose: the guard after this test must pass
