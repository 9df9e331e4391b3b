import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email, password):
    page.goto(page.base_url + "/account/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()


def assert_fits_the_screen(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def test_log_in_and_see_the_dutch_start_page(page, corporation_worker, password):
    log_in(page, corporation_worker.user.email, password)
    page.wait_for_url(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Goed je te zien")
    assert page.get_by_test_id("actor-organisation").inner_text() == "Woonstichting Testdorp"
    assert page.get_by_text("Huisbezoek registreren").is_visible()
    assert_fits_the_screen(page)
    assert page.console_problems == []


def test_switch_the_acting_organisation(page, shared_worker, password):
    log_in(page, shared_worker.user.email, password)
    page.get_by_role("button", name="Welzijn Testdorp").click()
    page.wait_for_url(page.base_url + "/")
    assert page.get_by_test_id("actor-organisation").inner_text() == "Welzijn Testdorp"
    assert page.get_by_text("Verwijzingen ontvangen").is_visible()

    page.get_by_role("link", name="Andere organisatie kiezen").click()
    page.get_by_role("button", name="Gemeente Testdorp").click()
    page.wait_for_url(page.base_url + "/")
    assert page.get_by_test_id("actor-organisation").inner_text() == "Gemeente Testdorp"
    assert_fits_the_screen(page)
    assert page.console_problems == []


def test_wrong_password_keeps_the_address_and_says_why(page, corporation_worker):
    log_in(page, corporation_worker.user.email, "fout-wachtwoord")
    assert page.get_by_label("E-mailadres").input_value() == corporation_worker.user.email
    assert page.get_by_text("niet correct").first.is_visible()
    assert_fits_the_screen(page)
