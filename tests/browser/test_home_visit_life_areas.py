"""The visit form at 360 px: the categories in fieldsets per life area, the common ones first;
a signal logged from one group reaches the household's timeline; axe finds nothing."""

import pytest

from cases.models import SignalCategory
from tests.browser.conftest import NARROW_PHONE, launch_context, log_in, violations
from tests.factories import SignalCategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_a_visit_with_a_category_from_a_life_area_at_360_px(
    browser, live_server, corporation_worker, household, password
):
    SignalCategory.objects.update(is_active=False)
    for code, name, area, common in [
        ("lekkage", "Lekkage", "wonen", False),
        ("schimmel", "Schimmel", "wonen", True),
        ("schulden", "Schulden", "financien", False),
        ("alleen", "Alleen thuis", "sociaal", True),
    ]:
        SignalCategoryFactory(code=code, name=name, life_area=area, is_common=common)
    # bypass_csp only so that axe can be injected (tests/browser/conftest.py: violations).
    context = launch_context(browser, NARROW_PHONE, bypass_csp=True)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    log_in(page, live_server.url, corporation_worker.user.email, password)
    page.goto(f"{live_server.url}/huishoudens/{household.pk}/huisbezoek/")

    form = page.get_by_test_id("visit-form")
    legends = form.locator(".category-group > legend").all_inner_texts()
    assert legends == ["Wonen en woonomgeving", "Sociaal netwerk", "Financiën"]
    housing = page.get_by_role("group", name="Wonen en woonomgeving")
    assert housing.locator(".category-item label.form-check-label").all_inner_texts() == [
        "Schimmel",
        "Lekkage",
    ]
    assert violations(page) == []
    # The larger tick box (inclusie.css) keeps a gap to its label instead of touching it.
    box = housing.get_by_label("Schimmel").bounding_box()
    label = housing.locator("label", has_text="Schimmel").bounding_box()
    assert label["x"] >= box["x"] + box["width"] + 4, (box, label)

    form.locator("fieldset", has_text="Uitkomst").get_by_text("Signalen", exact=True).click()
    money = page.get_by_role("group", name="Financiën")
    money.get_by_label("Schulden").check()
    item = money.locator(".category-item", has_text="Schulden")
    item.get_by_text("Hoog").click()
    item.get_by_label("Korte beschrijving").fill("Aanmaningen op de mat")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.get_by_role("button", name="Huisbezoek opslaan").click()

    page.get_by_text("Het huisbezoek is opgeslagen.").wait_for()
    assert page.get_by_test_id("timeline").get_by_text("Schulden").count() >= 1
    assert page.get_by_test_id("open-signals").get_by_text("Aanmaningen op de mat").is_visible()
    assert problems == []
    context.close()
