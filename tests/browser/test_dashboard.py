"""The dashboard in a real Chromium: every chart is drawn (Chart.js marks the canvas and it has
coloured pixels), every table is there beside it, on a desktop and on a 360 px phone, with no
console errors (which would include CSP violations) and no sideways scrolling."""

import re
from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP, NARROW_PHONE, launch_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pixels of a canvas that are neither transparent nor white: the chart drew something.
DRAWN_PIXELS = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
    if (a > 0 && !(r > 245 && g > 245 && b > 245)) drawn++;
  }
  return drawn;
}"""


@pytest.fixture
def world(dashboard_world):
    """The hand-counted world, its tallies counted (tests/worlds/dashboards.py)."""
    return dashboard_world


def open_dashboard(browser, live_server, membership, password, viewport):
    context = launch_context(browser, viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("E-mailadres").fill(membership.user.email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(live_server.url + "/")
    page.get_by_role("link", name="Dashboard").first.click()
    page.wait_for_url(live_server.url + "/dashboard/")
    page.wait_for_load_state("networkidle")
    return context, page, problems


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW_PHONE], ids=["desktop", "phone-360"])
def test_the_charts_are_drawn_with_their_tables(browser, live_server, world, password, viewport):
    context, page, problems = open_dashboard(
        browser, live_server, world.corporation_manager, password, viewport
    )
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    figures = page.locator("[data-testid^=figure-]")
    assert figures.count() >= 10
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() >= 10
    for index in range(canvases.count()):
        canvas = canvases.nth(index)
        canvas.scroll_into_view_if_needed()
        assert canvas.evaluate("c => c.dataset.drawn") == "true", canvas.get_attribute("data-chart")
        assert canvas.get_attribute("aria-hidden") == "true"
        assert canvas.evaluate(DRAWN_PIXELS) > 100, canvas.get_attribute("data-chart")
    table = page.get_by_role("table", name="Verstuurde verwijzingen, per partner")
    assert (
        table.get_by_role("row", name="Welzijn Testdorp").is_visible() or viewport == NARROW_PHONE
    )
    assert "Welzijn Testdorp" in table.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert problems == []
    context.close()


def test_a_partner_sees_suppressed_cells_and_can_download_the_table(
    browser, live_server, world, password
):
    context, page, problems = open_dashboard(
        browser, live_server, world.welfare_manager, password, DESKTOP
    )
    figure = page.get_by_test_id("figure-samenwerking-signalen")
    assert "<5" in figure.get_by_role("table").inner_text()
    assert figure.locator("canvas").evaluate("c => c.dataset.drawn") == "true"
    with page.expect_download() as download:
        # The link's name is "CSV" and, for screen readers, the figure's title.
        figure.get_by_role("link", name=re.compile(r"^CSV ?: Huishoudens met")).click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "<5" in content and content.startswith("Periode;")
    # The filters: a week view, kept in the URL.
    page.get_by_label("Per", exact=True).select_option("week")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_load_state("networkidle")
    assert "per=week" in page.url
    assert page.locator("canvas[data-chart]").first.evaluate("c => c.dataset.drawn") == "true"
    assert problems == []
    context.close()
