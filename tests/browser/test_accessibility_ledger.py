"""WCAG 2.1 AA checks by axe-core on the pages of the ledger (support packages, hours, rates,
estimates, the ledger itself) and of the dashboards, at desktop size and at 360 px."""

import pytest

from cases.services.support import support_package_request
from tests.browser.conftest import DESKTOP, NARROW_PHONE, launch_context, log_in, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW_PHONE], ids=["desktop", "phone-360"])
def test_the_package_hours_and_ledger_pages_meet_wcag_aa(
    browser,
    live_server,
    corporation,
    welfare,
    municipality,
    care,
    third_corporation,
    corporation_worker,
    shared_worker,
    manager,
    admin,
    household,
    categories,
    password,
    viewport,
):
    from decimal import Decimal

    from tests.factories import build_ledger_example

    build_ledger_example(
        corporation, welfare, municipality, care, third_corporation, household, shared_worker
    )
    package = support_package_request(
        actor=corporation_worker,
        household=household,
        item="witgoed",
        amount=Decimal("520"),
        paying_organisation=corporation,
    )
    quarter = "?periode=kwartaal&jaar=2025&kwartaal=1"
    found = {}
    for member, paths in [
        (
            corporation_worker,
            [
                ("household with packages", f"/huishoudens/{household.pk}/"),
                ("household packages", f"/huishoudens/{household.pk}/pakketten/"),
                ("package inbox", "/ondersteuningspakketten/?lijst=alle"),
                ("package", f"/ondersteuningspakketten/{package.pk}/"),
            ],
        ),
        (
            manager,
            [
                ("ledger", f"/kosten-en-baten/{quarter}"),
                ("ledger, invalid period", "/kosten-en-baten/?periode=anders&van=2025-13"),
                ("ledger printable", f"/kosten-en-baten/afdrukken/{quarter}"),
            ],
        ),
        (
            admin,
            [
                ("rates and estimates", "/beheer/kosten/"),
                ("hourly rate", "/beheer/kosten/uurtarief/"),
                ("estimate", "/beheer/kosten/schattingen/nieuw/"),
                ("shared workers", "/beheer/urenverdeling/"),
                ("split", f"/beheer/urenverdeling/{shared_worker.user_id}/"),
            ],
        ),
    ]:
        context = launch_context(browser, viewport, bypass_csp=True)
        page = context.new_page()
        log_in(page, live_server.url, member.user.email, password)
        for name, path in paths:
            page.goto(live_server.url + path)
            if name.startswith("ledger"):
                page.wait_for_function(
                    "[...document.querySelectorAll('canvas[data-chart]')]"
                    ".every(c => c.dataset.drawn === 'true')"
                )
            found[name] = violations(page)
        if member == corporation_worker:
            page.goto(f"{live_server.url}/huishoudens/{household.pk}/")
            page.get_by_test_id("support-packages").get_by_text(
                "Pakket aanvragen", exact=True
            ).first.click()
            page.get_by_test_id("package-form").get_by_role("button").click()
            page.wait_for_load_state()
            found["package request with errors"] = violations(page)
        if member == admin:
            page.goto(live_server.url + "/beheer/kosten/schattingen/nieuw/")
            page.get_by_role("button", name="Schatting opslaan").click()
            page.wait_for_load_state()
            found["estimate with errors"] = violations(page)
        context.close()

    context = launch_context(browser, viewport, bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url, shared_worker.user.email, password)
    page.get_by_test_id("actor-choices").get_by_role("button").first.click()  # act for one
    page.wait_for_load_state()
    page.goto(live_server.url + "/mijn-uren/")
    found["my hours"] = violations(page)
    page.get_by_role("button", name="Uren opslaan").click()
    page.wait_for_load_state()
    found["my hours with errors"] = violations(page)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW_PHONE], ids=["desktop", "phone-360"])
def test_the_dashboards_meet_wcag_aa(browser, live_server, dashboard_world, password, viewport):
    world = dashboard_world
    found = {}
    for member, paths in [
        (
            world.corporation_manager,
            [
                ("corporation dashboard", "/dashboard/"),
                ("per week, a district", f"/dashboard/?per=week&neighbourhood={world.district.pk}"),
                ("filters with errors", "/dashboard/?start=31-02-2026&end=2020-01-01&per=dag"),
            ],
        ),
        (world.welfare_manager, [("partner dashboard", "/dashboard/")]),
    ]:
        context = launch_context(browser, viewport, bypass_csp=True)
        page = context.new_page()
        log_in(page, live_server.url, member.user.email, password)
        for name, path in paths:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            found[name] = violations(page)
        context.close()
    assert {name: v for name, v in found.items() if v} == {}
