"""The emergency limit in a real browser (issue 15, ADR 0018): past the limit the worker asks
and waits; the privacy officer of the worker's organisation approves from the emergency list;
the worker then opens the household. The new pages pass axe, fit 360 px, and the browser
reports no console errors or CSP violations."""

import pytest

from cases.services.emergency import emergency_access_open
from tests.browser.conftest import NARROW_PHONE, launch_context, log_in, violations
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def session(browser, base_url, membership, password, *, axe=False):
    context = launch_context(browser, NARROW_PHONE, bypass_csp=axe)
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda message: message.type in ("error", "warning") and page.problems.append(message.text),
    )
    log_in(page, base_url, membership.user.email, password)
    return context, page


def test_past_the_limit_the_worker_waits_and_the_officer_approves(
    browser, live_server, care_worker, care, household, password, settings
):
    settings.EMERGENCY_ACCESS_LIMIT = 0
    officer = MembershipFactory(
        organisation=care, role="privacyfunctionaris", user__name="Iris Zorg"
    )
    base = live_server.url
    context, page = session(browser, base, care_worker, password)
    page.goto(base + "/noodtoegang/")
    assert page.get_by_test_id("emergency-allowance").is_visible()
    page.get_by_label("Adres van het huishouden").fill("9901 AB 12-a")
    page.get_by_label("Wat is de noodsituatie?").fill("De buren horen al twee dagen niets.")
    page.get_by_role("button", name="Toestemming vragen").click()
    page.get_by_role("heading", name="Wacht op toestemming").wait_for()
    waiting = page.url
    assert "Anna de Test" not in page.content()
    assert page.problems == []
    context.close()

    context, page = session(browser, base, officer, password)
    page.goto(base + "/privacy/noodtoegang/")
    page.get_by_test_id("emergency-waiting").get_by_role("link", name="Daan Test").click()
    page.get_by_role("heading", name="Verzoek om noodtoegang").wait_for()
    page.get_by_role("button", name="Goedkeuren: openen").click()
    page.get_by_text("boven de limiet, goedgekeurd door Iris Zorg").wait_for()
    assert page.problems == []
    context.close()

    context, page = session(browser, base, care_worker, password)
    page.goto(waiting)
    page.get_by_role("link", name="Open de noodpagina").click()
    page.get_by_text("Anna de Test").wait_for()
    assert page.problems == []
    context.close()


def test_the_pages_of_the_limit_pass_axe_on_a_phone(
    browser, live_server, care_worker, care, household, password, settings
):
    settings.EMERGENCY_ACCESS_LIMIT = 0
    officer = MembershipFactory(organisation=care, role="privacyfunctionaris")
    asked = emergency_access_open(
        actor=care_worker, household=household, reason="De buren horen al twee dagen niets."
    )
    found = {}
    for member, paths in [
        (
            care_worker,
            [
                ("form at the limit", "/noodtoegang/"),
                ("waiting", f"/noodtoegang/verzoek/{asked.pk}/"),
            ],
        ),
        (
            officer,
            [
                ("decide", f"/privacy/noodtoegang/verzoek/{asked.pk}/"),
                ("week", "/privacy/noodtoegang/overzicht/"),
            ],
        ),
    ]:
        context, page = session(browser, live_server.url, member, password, axe=True)
        for name, path in paths:
            page.goto(live_server.url + path)
            found[name] = violations(page)
        context.close()
    assert {name: v for name, v in found.items() if v} == {}
