import pytest
from django.utils import timezone

from cases.services.consents import consent_record
from tests.browser.conftest import DESKTOP, launch_context
from tests.factories import SignalFactory, agree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, base_url, membership, password):
    context = launch_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(base_url + "/account/login/")
    page.get_by_label("E-mailadres").fill(membership.user.email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(base_url + "/")
    return context, page


def test_refer_with_consent_the_partner_accepts_and_completes_the_sender_sees_the_outcome(
    browser,
    live_server,
    corporation,
    welfare,
    corporation_worker,
    welfare_worker,
    household,
    categories,
    password,
):
    lonely = categories[0]
    agree(corporation, welfare, lonely)
    consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose="Contact in de buurt",
        categories=[lonely],
        given_how="mondeling",
        given_on=timezone.localdate(),
    )
    SignalFactory(household=household, category=lonely, description="Zit veel alleen")

    sender, page = log_in(browser, live_server.url, corporation_worker, password)
    page.goto(f"{live_server.url}/huishoudens/{household.pk}/")
    page.get_by_role("link", name="Verwijzen naar een partner").click()
    page.get_by_label("Verwijzen naar").select_option(label=welfare.name)
    page.get_by_label(f"{lonely.name}: Zit veel alleen").check()
    page.get_by_label("Bericht").fill("Mevrouw wil graag mensen ontmoeten.")
    page.get_by_role("button", name="Verwijzing versturen").click()
    page.get_by_text("De verwijzing is verstuurd.").wait_for()
    referral_url = page.url

    receiver, other = log_in(browser, live_server.url, welfare_worker, password)
    other.get_by_role("link", name="Verwijzingen ontvangen").click()
    other.get_by_role("link", name="Lindelaan 12-a").click()
    assert other.get_by_text("Zit veel alleen").is_visible()
    other.get_by_role("button", name="Accepteren").click()
    other.get_by_text("Je hebt de verwijzing geaccepteerd.").wait_for()
    other.get_by_text("Geholpen", exact=True).click()
    other.get_by_label("Over de uitkomst, voor de verwijzer").fill("Gaat nu naar de soos.")
    other.get_by_role("button", name="Verwijzing afronden").click()
    other.get_by_text("De verwijzing is afgerond.").wait_for()
    receiver.close()

    page.goto(referral_url)
    assert page.get_by_test_id("referral-status").inner_text() == "Afgerond"
    assert "Gaat nu naar de soos." in page.get_by_test_id("referral-outcome").inner_text()
    sender.close()
