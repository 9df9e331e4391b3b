"""Privacy in a real browser (issue 7): a worker opens a household in an emergency from the
start page; the privacy officer finds it in the access log, opens the household's AVG overview
and prints its document. No console errors or CSP violations on the way."""

import pytest

from tests.browser.conftest import DESKTOP, NARROW_PHONE, launch_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, base_url, membership, password, viewport=DESKTOP):
    context = launch_context(browser, viewport)
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda message: message.type in ("error", "warning") and page.problems.append(message.text),
    )
    page.goto(base_url + "/account/login/")
    page.get_by_label("E-mailadres").fill(membership.user.email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(base_url + "/")
    return context, page


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW_PHONE], ids=["desktop", "phone-360"])
def test_emergency_access_then_the_officer_finds_it_and_prints_the_overview(
    browser, live_server, care_worker, privacy_officer, household, password, viewport
):
    context, page = log_in(browser, live_server.url, care_worker, password, viewport)
    page.get_by_role("link", name="Noodtoegang").click()
    page.get_by_label("Adres van het huishouden").fill("9901 AB 12-a")
    page.get_by_label("Wat is de noodsituatie?").fill("Kort")
    page.get_by_role("button", name="Openen met noodtoegang").click()
    page.get_by_text("minstens 20 tekens").wait_for()
    assert page.get_by_label("Adres van het huishouden").input_value() == "9901 AB 12-a"
    page.get_by_label("Wat is de noodsituatie?").fill("De buren horen al twee dagen niets.")
    page.get_by_role("button", name="Openen met noodtoegang").click()
    page.get_by_text("Anna de Test").wait_for()
    assert page.get_by_role("heading", name="Lindelaan 12-a").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.problems == []
    context.close()

    context, page = log_in(browser, live_server.url, privacy_officer, password, viewport)
    page.get_by_role("link", name="Toegangslog", exact=True).first.click()
    page.get_by_label("Actie").select_option(label="Geopend bij noodtoegang")
    page.get_by_role("button", name="Filteren").click()
    rows = page.get_by_test_id("access-log").locator("tbody tr")
    assert rows.count() == 1 and "Lindelaan 12-a" in rows.first.inner_text()
    page.goto(live_server.url + "/privacy/avg/")
    page.get_by_label("Adres van het huishouden").fill("9901AB 12a")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("heading", name="AVG-overzicht per huishouden").wait_for()
    assert "De buren horen al twee dagen niets." in page.content()
    page.get_by_role("link", name="Document om af te drukken").click()
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Afdrukken of opslaan als pdf").click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Afdrukken of opslaan als pdf").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert page.problems == []
    context.close()
