"""WCAG 2.1 AA checks by axe-core on the helpers' pages (ADR 0032), at desktop size and on a
phone of 360 px (no sideways scrolling): the worker's list, form (with its errors), a helper's
page and the link shown once; and the helper's own page through the link, and the page of a
link that does not work."""

import pytest

from tests.browser.conftest import DESKTOP, NARROW_PHONE, launch_context, log_in, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW_PHONE], ids=["desktop", "phone-360"])
def test_the_helper_pages_meet_wcag_aa(
    browser, live_server, corporation_worker, password, viewport, register_helper, helper_link
):
    helper = register_helper(corporation_worker)
    token = helper_link(corporation_worker, helper)
    context = launch_context(browser, viewport, bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url, corporation_worker.user.email, password)
    found = {}
    for name, path in [
        ("list", "/dragers/"),
        ("form", "/dragers/nieuw/"),
        ("detail", f"/dragers/{helper.pk}/"),
        ("edit", f"/dragers/{helper.pk}/wijzigen/"),
    ]:
        page.goto(live_server.url + path)
        found[name] = violations(page)
    page.goto(live_server.url + "/dragers/nieuw/")
    page.get_by_role("button", name="Drager aanmelden").click()
    page.wait_for_load_state()
    assert "Geef een telefoonnummer" in page.content()
    found["form with errors"] = violations(page)
    page.goto(live_server.url + f"/dragers/{helper.pk}/")
    page.get_by_role("button", name="Nieuwe link tonen om te overhandigen").click()
    page.wait_for_load_state()
    found["link shown"] = violations(page)
    context.close()

    context = launch_context(browser, viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + f"/link/{token}/")
    found["helper's own page"] = violations(page)
    page.goto(live_server.url + "/link/" + "x" * 43 + "/")
    found["link that does not work"] = violations(page)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}
