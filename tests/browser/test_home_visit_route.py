"""The route a corporation worker takes on a phone (360 px) from the start page to a saved home
visit, counted in taps and typed fields (the README gives the figures; PRODUCT.md: a home visit
in a minute). A test, so a page that adds a step shows up here."""

import time

import pytest

from cases.models import HomeVisit
from tests.browser.conftest import NARROW_PHONE, launch_context, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Route:
    """Does what a person does, and counts it."""

    def __init__(self, page):
        self.page, self.taps, self.typed = page, 0, 0

    def tap(self, locator):
        locator.click()
        self.taps += 1

    def type(self, locator, text):
        locator.fill(text)
        self.typed += 1


def walk(page, categories, seen):
    route = Route(page)
    page.goto(page.base_url + "/")
    route.tap(page.get_by_test_id("start-tasks").get_by_role("link", name="Huisbezoek registreren"))
    route.type(
        page.get_by_label("Postcode en huisnummer, straat, naam of huurcontractnummer"),
        "9901AB 12",
    )
    route.tap(page.get_by_role("button", name="Zoeken"))
    route.tap(page.get_by_role("link", name="Huisbezoek registreren Lindelaan 12-a"))
    form = page.get_by_test_id("visit-form")
    outcome = form.locator("fieldset", has_text="Uitkomst")
    if seen:
        route.tap(outcome.get_by_text("Signalen", exact=True))
        for category in categories[:seen]:
            item = form.locator(".category-item", has_text=category.name)
            route.tap(item.get_by_label(category.name))
            route.tap(item.get_by_text("Midden"))
            route.type(item.get_by_label("Korte beschrijving"), "Gezien")
    else:
        route.tap(outcome.get_by_text("Geen zorgen", exact=True))
    route.tap(page.get_by_role("button", name="Huisbezoek opslaan"))
    page.get_by_text("Het huisbezoek is opgeslagen.").wait_for()
    return route


@pytest.mark.parametrize(
    ("seen", "taps", "typed"), [(0, 5, 1), (2, 9, 3)], ids=["no-signals", "two-signals"]
)
def test_the_route_from_the_start_page_to_a_saved_visit(
    browser, live_server, corporation_worker, household, categories, password, seen, taps, typed
):
    context = launch_context(browser, NARROW_PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    log_in(page, live_server.url, corporation_worker.user.email, password)
    started = time.monotonic()
    route = walk(page, categories, seen)
    took = time.monotonic() - started
    assert (route.taps, route.typed) == (taps, typed)
    assert HomeVisit.objects.count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    print(f"route at 360 px, {seen} signals: {route.taps} taps, {route.typed} typed, {took:.1f}s")
    context.close()
