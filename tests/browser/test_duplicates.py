"""Possible duplicate households in a real browser at 360 px (ADR 0026): the worker's household
page flags the other tenancy at the same address; the corporation's administrator compares
the two, is told what is missing when the form is incomplete (keeping what was chosen) and
merges them; the absorbed household's page then points to the one that went on. The pages
pass axe, fit 360 px, and the browser reports no console errors or CSP violations."""

import pytest

from cases.models import Household
from tests.browser.conftest import NARROW_PHONE, launch_context, log_in, violations
from tests.factories import HouseholdFactory, ResidentFactory

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


@pytest.fixture
def room(household):
    room = HouseholdFactory(
        corporation=household.corporation,
        street="Lindelaan",
        postcode="9901 AB",
        house_number=12,
        house_number_addition="A",
        tenancy_reference="HC-000077",
        neighbourhood=household.neighbourhood,
    )
    ResidentFactory(household=room, name="Bram de Test", birth_year=1950)
    return room


def test_a_worker_sees_the_flag_and_an_administrator_merges_at_360_px(
    browser, live_server, corporation_worker, admin, household, room, password
):
    base = live_server.url
    context, page = session(browser, base, corporation_worker, password)
    page.goto(f"{base}/huishoudens/{household.pk}/")
    flag = page.get_by_test_id("possible-duplicates")
    assert "Mogelijk dubbel:" in flag.inner_text() and "zelfde adres" in flag.inner_text()
    flag.get_by_role("link", name="Lindelaan 12-A, 9901 AB Testdorp").click()
    page.get_by_text("Bram de Test").wait_for()
    assert page.problems == []
    context.close()

    context, page = session(browser, base, admin, password)
    page.goto(f"{base}/huishoudens/dubbel/")
    page.get_by_role("link", name="Vergelijken en beslissen").click()
    page.get_by_role("heading", name="Eén huishouden of twee?").wait_for()
    assert "Bram de Test" in page.content() and "Anna de Test" in page.content()
    page.get_by_label("Ik heb gecontroleerd dat dit één en hetzelfde huishouden is.").check()
    page.get_by_role("button", name="Samenvoegen").click()
    page.get_by_text("Kies het huishouden dat blijft.").wait_for()
    assert page.get_by_label(
        "Ik heb gecontroleerd dat dit één en hetzelfde huishouden is."
    ).is_checked()
    page.get_by_label("Lindelaan 12-a, 9901 AB Testdorp (HC-000012)").check()
    page.get_by_role("button", name="Samenvoegen").click()
    page.get_by_text("Samengevoegd: Lindelaan 12-a, 9901 AB Testdorp blijft").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.problems == []
    context.close()
    assert Household.objects.get(pk=room.pk).merged_into_id == household.pk

    context, page = session(browser, base, corporation_worker, password)
    page.goto(f"{base}/huishoudens/{room.pk}/")
    notice = page.get_by_test_id("household-merged")
    notice.get_by_role("link", name="Lindelaan 12-a, 9901 AB Testdorp").click()
    page.get_by_text("Bram de Test").wait_for()  # the resident came along
    assert page.get_by_test_id("possible-duplicates").count() == 0
    assert page.problems == []
    context.close()


def test_the_pages_of_duplicates_pass_axe_at_360_px(
    browser, live_server, corporation_worker, admin, household, room, password
):
    base = live_server.url
    found = {}
    for member, paths in [
        (corporation_worker, [("household page with the flag", f"/huishoudens/{household.pk}/")]),
        (
            admin,
            [
                ("list", "/huishoudens/dubbel/"),
                ("decision", f"/huishoudens/dubbel/{household.pk}/{room.pk}/"),
            ],
        ),
    ]:
        context, page = session(browser, base, member, password, axe=True)
        for name, path in paths:
            page.goto(base + path)
            found[name] = violations(page)
        context.close()
    assert found == {name: [] for name in found}
