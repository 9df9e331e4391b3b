"""Sign-in through the organisation's identity provider in a real browser (ADR 0021): the button
on the login page, the provider's own page (a real OpenID Connect provider on this machine,
tests/identity_provider.py), and back on the start page, with no CSP violation on the way (the
login form leads to the provider: form-action)."""

from urllib.parse import urlsplit

import pytest

from cases.models import AccessLog
from tests.browser.conftest import DESKTOP, NARROW_PHONE, launch_context, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_login_page(browser, base_url, viewport, **options):
    context = launch_context(browser, viewport, **options)
    # The test provider's page asks a CDN for its stylesheet: nothing leaves this machine.
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname in ("localhost", "127.0.0.1")
            else route.abort()
        ),
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.problems = []
    # Only Inclusie's pages must be clean; the provider's page is not ours.
    page.on(
        "console",
        lambda message: (
            message.type in ("error", "warning")
            and page.url.startswith(base_url)
            and page.problems.append(message.text)
        ),
    )
    page.goto(base_url + "/account/login/")
    return context, page


def sign_in_at_the_provider(page, provider, sub):
    page.get_by_role("button", name=f"Aanmelden met {provider.name}").click()
    page.wait_for_url(provider.url + "/**")
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW_PHONE], ids=["desktop", "phone-360"])
def test_a_member_signs_in_through_the_provider_and_works_as_usual(
    browser, live_server, identity_provider, corporation_worker, household, viewport
):
    sub = identity_provider.add_person(corporation_worker.user.email)
    context, page = open_login_page(browser, live_server.url, viewport)
    sign_in_at_the_provider(page, identity_provider, sub)

    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Goed je te zien")
    assert page.get_by_test_id("actor-organisation").inner_text() == "Woonstichting Testdorp"
    page.goto(f"{live_server.url}/huishoudens/{household.pk}/")
    assert page.get_by_text("Lindelaan 12").first.is_visible()
    log = AccessLog.objects.get(household=household, action=AccessLog.Action.VIEW)
    assert (log.user_id, log.organisation_id) == (
        corporation_worker.user_id,
        corporation_worker.organisation_id,
    )
    assert page.problems == []
    context.close()


def test_an_unknown_person_reads_why_there_is_no_access(browser, live_server, identity_provider):
    sub = identity_provider.add_person("onbekend@elders.example")
    # Axe is injected into the page, which needs a context that bypasses the CSP; the test above
    # signs in under the CSP.
    context, page = open_login_page(browser, live_server.url, NARROW_PHONE, bypass_csp=True)
    assert violations(page) == []
    sign_in_at_the_provider(page, identity_provider, sub)

    page.get_by_role("heading", name="Geen toegang tot Inclusie").wait_for()
    assert page.get_by_text("onbekend@elders.example").is_visible()
    assert violations(page) == []
    page.get_by_role("link", name="Terug naar de aanmeldpagina").click()
    page.wait_for_url(live_server.url + "/account/login/")
    # The browser reports the page's status 403 (no access), and nothing else.
    assert [p for p in page.problems if "status of 403" not in p] == []
    context.close()


def test_trusted_mfa_at_the_provider_asks_for_no_code(
    browser, live_server, identity_provider, corporation_worker, settings
):
    settings.MFA_REQUIRED = True
    identity_provider.trust_mfa()
    sub = identity_provider.add_person(corporation_worker.user.email, amr=["pwd", "mfa"])
    context, page = open_login_page(browser, live_server.url, DESKTOP)
    sign_in_at_the_provider(page, identity_provider, sub)
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_test_id("actor-organisation").inner_text() == "Woonstichting Testdorp"
    context.close()


def test_without_trust_inclusie_asks_to_set_up_its_own_app(
    browser, live_server, identity_provider, corporation_worker, settings
):
    settings.MFA_REQUIRED = True
    sub = identity_provider.add_person(corporation_worker.user.email, amr=["pwd", "mfa"])
    context, page = open_login_page(browser, live_server.url, DESKTOP)
    sign_in_at_the_provider(page, identity_provider, sub)
    page.wait_for_url(live_server.url + "/**")
    page.wait_for_load_state()
    page.get_by_role("heading", name="Authenticator-app activeren").wait_for()
    assert page.url == live_server.url + "/account/2fa/totp/activate/", page.url
    context.close()
