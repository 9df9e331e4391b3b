"""The bell: its count rises when a referral arrives, without reloading the page, and falls when
the notification is read; on a phone it stays in sight without opening the menu."""

import pytest
from django.utils import timezone

from cases.services.consents import consent_record
from cases.services.referrals import referral_send
from partners.models import Membership
from tests.browser.conftest import DESKTOP, PHONE, launch_context
from tests.factories import MembershipFactory, SignalFactory, agree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, base_url, membership, password, viewport):
    context = launch_context(browser, viewport)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.goto(base_url + "/account/login/")
    page.get_by_label("E-mailadres").fill(membership.user.email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(base_url + "/")
    page.problems = problems
    return context, page


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_bell_rises_when_a_referral_arrives_and_falls_when_read(
    browser,
    live_server,
    settings,
    corporation_worker,
    welfare,
    household,
    categories,
    password,
    viewport,
):
    settings.NOTIFICATION_POLL_SECONDS = 2
    lonely = categories[0]
    agree(corporation_worker.organisation, welfare, lonely)
    consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose="Contact in de buurt",
        categories=[lonely],
        given_how="mondeling",
        given_on=timezone.localdate(),
    )
    intake = MembershipFactory(
        organisation=welfare, role=Membership.Role.MEDEWERKER, receives_referrals=True
    )
    context, page = log_in(browser, live_server.url, intake, password, viewport)
    bell = page.get_by_test_id("bell")
    assert bell.is_visible()  # also on a phone, outside the collapsed menu
    assert page.get_by_test_id("bell-count").count() == 0
    page.evaluate("window.stillTheSamePage = true")  # gone if the page were loaded again

    for _ in range(2):
        signal = SignalFactory(household=household, category=lonely)
        referral_send(
            actor=corporation_worker,
            household=household,
            to_organisation=welfare,
            signals=[signal],
        )
    page.get_by_test_id("bell-count").filter(has_text="2").wait_for(timeout=10_000)
    assert page.evaluate("window.stillTheSamePage") is True  # the page was not reloaded

    bell.click()
    page.wait_for_url(live_server.url + "/meldingen/")
    items = page.get_by_test_id("notification")
    assert items.count() == 2
    assert items.first.get_by_text(
        f"Nieuwe verwijzing van {corporation_worker.organisation.name}"
    ).is_visible()
    items.first.get_by_role("button", name="Markeer als gelezen").click()
    page.get_by_test_id("bell-count").filter(has_text="1").wait_for(timeout=5_000)
    assert items.first.get_by_role("button", name="Markeer als gelezen").count() == 0

    items.nth(1).get_by_role("link").click()  # opening one reads it and shows its page
    page.wait_for_url("**/verwijzingen/*/")
    page.get_by_text("Lindelaan 12-a").first.wait_for()
    page.wait_for_load_state("networkidle")  # the bell has asked for its count
    assert page.get_by_test_id("bell-count").count() == 0
    assert page.problems == []
    context.close()
