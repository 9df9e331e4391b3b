"""The daily work on a 360 px phone: the start page shows what needs a person today, each count
opens its list, an overdue referral says so there, and the household's joint case is one click
from the household page (issue 16, item 4; ADR 0022)."""

import pytest

from tests.browser.conftest import NARROW_PHONE, launch_context, log_in, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone(browser, live_server, membership, password):
    # bypass_csp only lets the check inject axe; the pages are served with their CSP.
    context = launch_context(browser, NARROW_PHONE, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, membership.user.email, password)
    return context, page


def shown_counts(page) -> dict[str, str]:
    tiles = page.get_by_test_id("today").locator("[data-count]")
    found = {}
    for n in range(tiles.count()):
        tile = tiles.nth(n)
        assert tile.is_visible(), tile.get_attribute("data-count")
        found[tile.get_attribute("data-count")] = tile.locator(".today-value").inner_text()
    return found


def test_the_counts_are_there_and_a_count_opens_its_list(
    browser, live_server, today_world, welfare_worker, password
):
    context, page = phone(browser, live_server, welfare_worker, password)
    expected = {k: str(v) for k, v in today_world.expected["welfare_worker"].items()}
    assert shown_counts(page) == expected
    assert violations(page) == []
    overdue = page.locator('[data-count="referrals_overdue"]')
    assert "Termijn verstreken" in overdue.inner_text()
    overdue.click()
    page.wait_for_url("**/verwijzingen/?lijst=te-laat")
    listed = page.get_by_test_id("referral-list").locator("li")
    assert listed.count() == 1
    assert listed.get_by_test_id("referral-deadline").inner_text().startswith("Termijn verstreken")
    assert violations(page) == []
    listed.get_by_role("link").first.click()
    assert page.get_by_test_id("referral-deadline").is_visible()

    page.goto(live_server.url + "/")
    page.locator('[data-count="actions_open"]').click()
    page.wait_for_url("**/casussen/acties/")
    assert page.get_by_text("Kennismaken met mevrouw").is_visible()
    assert violations(page) == []
    context.close()


def test_a_corporation_worker_reaches_the_joint_case_from_the_household_page(
    browser, live_server, today_world, corporation_worker, household, password
):
    context, page = phone(browser, live_server, corporation_worker, password)
    assert shown_counts(page)["signals_due"] == "2"
    page.locator('[data-count="signals_due"]').click()
    page.wait_for_url("**/signalen/?lijst=opvolgen")
    results = page.get_by_test_id("signal-results")
    assert results.locator("li").count() == 2
    results.get_by_role("link", name="Lindelaan 12-a").first.click()
    page.wait_for_url(f"**/huishoudens/{household.pk}/")
    assert violations(page) == []
    page.get_by_role("link", name="Naar de casus").click()
    page.wait_for_url(f"**/casussen/{today_world.case.pk}/")
    assert "Lindelaan 12-a" in page.get_by_role("heading", level=1).inner_text()
    actions = page.get_by_test_id("joint-case-actions")
    assert actions.get_by_text("Kennismaken met mevrouw").is_visible()
    context.close()


def test_the_menu_leads_to_the_cases(browser, live_server, today_world, welfare_worker, password):
    context, page = phone(browser, live_server, welfare_worker, password)
    page.get_by_role("button", name="Menu openen").click()
    page.get_by_role("link", name="Casussen", exact=True).click()
    page.wait_for_url("**/casussen/")
    page.get_by_test_id("joint-case-list").get_by_role("link").first.click()
    page.wait_for_url(f"**/casussen/{today_world.case.pk}/")
    context.close()
