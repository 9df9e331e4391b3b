import pytest

from tests.browser.conftest import PHONE, launch_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_a_visit_with_three_signals_on_a_phone_and_find_them_on_the_timeline(
    browser, live_server, corporation_worker, household, categories, password
):
    context = launch_context(browser, PHONE)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("E-mailadres").fill(corporation_worker.user.email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()

    page.get_by_role("link", name="Huishoudens").first.click()
    page.get_by_label("Postcode en huisnummer, straat, naam of huurcontractnummer").fill(
        "9901AB 12"
    )
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Huisbezoek registreren Lindelaan 12-a").click()

    form = page.get_by_test_id("visit-form")
    form.wait_for()
    form.locator("fieldset", has_text="Uitkomst").get_by_text("Signalen", exact=True).click()
    for n, category in enumerate(categories[:3]):
        item = form.locator(".category-item", has_text=category.name)
        item.get_by_label(category.name).check()
        item.get_by_text("Midden").click()
        item.get_by_label("Korte beschrijving").fill(f"Gezien: signaal {n + 1}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.get_by_role("button", name="Huisbezoek opslaan").click()

    page.get_by_text("Het huisbezoek is opgeslagen.").wait_for()
    timeline = page.get_by_test_id("timeline")
    for category in categories[:3]:
        assert timeline.get_by_text(category.name).count() >= 1
    assert timeline.get_by_text("Huisbezoek vastgelegd").is_visible()
    assert page.get_by_test_id("open-signals").get_by_text("Gezien: signaal 3").is_visible()
    assert problems == []
    context.close()
