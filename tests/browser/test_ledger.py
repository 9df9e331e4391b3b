"""The ledger in a real browser: its charts are drawn and its tables shown at desktop size and
at 360 px, the printable view fits one A4 page, and a support package is requested from the
household page on a phone."""

import re

import pytest

from tests.browser.conftest import DESKTOP, NARROW_PHONE, launch_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Q1_2025 = "/kosten-en-baten/?periode=kwartaal&jaar=2025&kwartaal=1"


def open_page(browser, live_server, membership, password, viewport):
    context = launch_context(browser, viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.problems = []
    page.on(
        "console",
        lambda m: m.type in ("error", "warning") and page.problems.append(m.text),
    )
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("E-mailadres").fill(membership.user.email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(live_server.url + "/")
    return context, page


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW_PHONE], ids=["desktop", "phone-360"])
def test_the_ledger_draws_its_charts_beside_its_tables(
    browser,
    live_server,
    ledger_example,
    manager,
    password,
    viewport,
):
    context, page = open_page(browser, live_server, manager, password, viewport)
    page.get_by_role("link", name="Kosten en baten").click()
    # The page's script (deferred) shows the fields of a kind of period when it changes: choose
    # only once it has run, or the change goes by unheard.
    page.wait_for_load_state()
    page.get_by_label("Periode", exact=True).select_option("kwartaal")
    assert page.get_by_label("Kwartaal", exact=True).is_visible()
    assert not page.get_by_label("Vanaf maand").is_visible(), "only the fields of the kind"
    page.get_by_label("Jaar").fill("2025")
    page.get_by_label("Kwartaal", exact=True).select_option("1")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url(re.compile(r"kwartaal=1"))
    for chart in ("chart-savings", "chart-invested"):
        canvas = page.get_by_test_id(chart)
        page.wait_for_function(
            "id => document.querySelector(`[data-testid=${id}]`).dataset.drawn === 'true'",
            arg=chart,
        )
        box = canvas.bounding_box()
        assert box["width"] > 200 and box["height"] > 100, chart
    pairs = page.get_by_test_id("ledger-pairs")
    assert pairs.is_visible()
    assert "bespaart €\xa0700 meer dankzij Gemeente Testdorp" in pairs.inner_text()
    assert page.get_by_test_id("ledger-investments").is_visible()
    assert "Kosten huisuitzetting (test)" in page.get_by_test_id("ledger-savings").inner_text()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "no sideways scrolling"
    assert page.problems == []
    context.close()


def test_the_printable_view_fits_one_a4_page(
    browser,
    live_server,
    ledger_example,
    manager,
    password,
):
    context, page = open_page(browser, live_server, manager, password, DESKTOP)
    page.goto(live_server.url + Q1_2025)
    page.get_by_role("link", name="Afdrukpagina").click()
    page.wait_for_function(
        "[...document.querySelectorAll('canvas[data-chart]')].every(c => c.dataset.drawn)"
    )
    assert page.locator("nav").count() == 0, "no navigation on the printable view"
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "one A4 page"
    assert page.problems == []
    context.close()


def test_request_a_support_package_on_a_phone(
    browser, live_server, corporation_worker, household, corporation, password
):
    context, page = open_page(browser, live_server, corporation_worker, password, NARROW_PHONE)
    page.goto(f"{live_server.url}/huishoudens/{household.pk}/")
    panel = page.get_by_test_id("support-packages")
    panel.get_by_text("Pakket aanvragen", exact=True).first.click()
    form = page.get_by_test_id("package-form")
    form.get_by_label("Wat").select_option("anders")
    form.get_by_label("Bedrag in euro’s").fill("1.234,50")
    form.get_by_label("Betaald door").select_option(label=corporation.name)
    form.get_by_role("button", name="Pakket aanvragen").click()
    # 'Other' needs a description: told next to the field, the amount kept.
    page.get_by_text("Beschrijf wat het pakket is.").wait_for()
    form = page.get_by_test_id("package-form")
    assert form.get_by_label("Bedrag in euro’s").input_value() == "1.234,50"
    form.get_by_label("Omschrijving").fill("Matras en beddengoed")
    form.get_by_role("button", name="Pakket aanvragen").click()
    page.get_by_text("Het ondersteuningspakket is aangevraagd.").wait_for()
    package = page.get_by_test_id("support-package")
    assert "Anders: Matras en beddengoed" in package.inner_text()
    assert "€\xa01.234,50" in package.inner_text()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert page.problems == []
    context.close()
