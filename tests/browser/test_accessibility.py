"""WCAG 2.1 AA checks by axe-core (vendored in tests/browser/vendor, MPL-2.0) on every page of
the foundation, at desktop size and on a phone. Axe finds what a machine can find (contrast,
labels, landmarks, names); the keyboard and focus checks below add what it cannot. The ledger's
pages and the dashboards: test_accessibility_ledger.py."""

import re

import pytest

from cases.services.consents import consent_record
from cases.services.emergency import emergency_access_open
from cases.services.referrals import referral_send
from tests.browser.conftest import DESKTOP, NARROW_PHONE, launch_context, log_in, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def invitation_link(admin, django_capture_on_commit_callbacks):
    from django.core import mail

    from partners.services import memberships as services

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=admin, email="nieuw@test.example", name="Nieuwe Collega", role="medewerker"
        )
    return re.search(r"/uitnodiging/\S+/", mail.outbox[-1].body).group(0)


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW_PHONE], ids=["desktop", "phone-360"])
def test_pages_meet_wcag_aa(
    browser, live_server, admin, shared_worker, password, viewport, invitation_link
):
    context = launch_context(browser, viewport, bypass_csp=True)
    page = context.new_page()
    page.set_content('<html lang="nl"><body><main><input type="text"></main></body></html>')
    assert any(v.startswith("label") for v in violations(page)), "axe must catch a bad page"
    found = {}
    page.goto(live_server.url + "/account/login/")
    found["login"] = violations(page)
    page.goto(live_server.url + "/account/password/reset/")
    found["password reset"] = violations(page)
    page.goto(live_server.url + "/toegankelijkheid/")
    found["accessibility statement"] = violations(page)
    # A form sent without its cookie (as when cookies are blocked) gets the Dutch refusal page.
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("E-mailadres").fill(admin.user.email)
    page.get_by_label("Wachtwoord").fill(password)
    context.clear_cookies()
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Je formulier kon niet worden verstuurd"
    )
    found["form refused"] = violations(page)
    log_in(page, live_server.url, admin.user.email, password)
    for name, path in [
        ("start", "/"),
        ("members", "/organisatie/leden/"),
        ("invite", "/organisatie/leden/uitnodigen/"),
        ("my account", "/account/2fa/"),
    ]:
        page.goto(live_server.url + path)
        found[name] = violations(page)
    page.goto(live_server.url + "/organisatie/leden/uitnodigen/")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.wait_for_load_state()
    found["invite with errors"] = violations(page)
    page.goto(live_server.url + "/account/2fa/totp/activate/")
    found["confirm password"] = violations(page)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_load_state()
    assert page.url.endswith("/account/2fa/totp/activate/")
    found["set up authenticator app"] = violations(page)
    page.goto(live_server.url + "/bestaat-niet/")
    found["not found"] = violations(page)
    context.close()

    context = launch_context(browser, viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + invitation_link)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Word lid van")
    found["accept invitation"] = violations(page)
    context.close()

    context = launch_context(browser, viewport, bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url, shared_worker.user.email, password)
    found["choose organisation"] = violations(page)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}


def test_keyboard_reaches_the_skip_link_first_and_it_moves_focus(page, admin, password):
    page.goto(page.base_url + "/account/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW_PHONE], ids=["desktop", "phone-360"])
def test_the_home_visit_pages_meet_wcag_aa(
    browser, live_server, corporation_worker, admin, household, categories, password, viewport
):
    from tests.factories import SignalFactory

    signal = SignalFactory(household=household, category=categories[0])
    context = launch_context(browser, viewport, bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url, corporation_worker.user.email, password)
    found = {}
    for name, path in [
        ("households", "/huishoudens/"),
        ("household", f"/huishoudens/{household.pk}/"),
        ("visit form", f"/huishoudens/{household.pk}/huisbezoek/"),
        ("signals", "/signalen/?lijst=open"),
        ("signal status", f"/signalen/{signal.pk}/status/"),
    ]:
        page.goto(live_server.url + path)
        found[name] = violations(page)
    page.goto(live_server.url + f"/huishoudens/{household.pk}/huisbezoek/")
    page.get_by_label(categories[0].name).check()
    # The page first tries the visit as one kept on the device (ADR 0030); refused, it sends the
    # form, which comes back with its messages.
    with page.expect_navigation():
        page.get_by_role("button", name="Huisbezoek opslaan").click()
    found["visit form with errors"] = violations(page)
    context.close()

    context = launch_context(browser, viewport, bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url, admin.user.email, password)
    for name, path in [
        ("categories", "/beheer/signaalcategorieen/"),
        ("category form", "/beheer/signaalcategorieen/nieuw/"),
        ("import", "/huishoudens/import/"),
    ]:
        page.goto(live_server.url + path)
        found[name] = violations(page)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW_PHONE], ids=["desktop", "phone-360"])
def test_the_referral_and_case_pages_meet_wcag_aa(
    browser,
    live_server,
    corporation,
    welfare,
    corporation_worker,
    welfare_worker,
    admin,
    household,
    categories,
    password,
    viewport,
):
    from django.utils import timezone

    from tests.factories import SignalFactory, agree

    lonely = categories[0]
    agree(corporation, welfare, lonely)
    consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose="Contact",
        categories=[lonely],
        given_how="mondeling",
        given_on=timezone.localdate(),
    )
    signal = SignalFactory(household=household, category=lonely)
    referral = referral_send(
        actor=corporation_worker, household=household, to_organisation=welfare, signals=[signal]
    )
    found = {}
    for member, paths in [
        (
            corporation_worker,
            [
                ("household with consents", f"/huishoudens/{household.pk}/"),
                ("refer", f"/huishoudens/{household.pk}/verwijzen/"),
                ("consent form", f"/huishoudens/{household.pk}/toestemming/"),
                ("outbox", "/verwijzingen/verstuurd/"),
                ("open a case", f"/huishoudens/{household.pk}/casus/"),
            ],
        ),
        (
            welfare_worker,
            [
                ("inbox", "/verwijzingen/?lijst=alle"),
                ("referral", f"/verwijzingen/{referral.pk}/"),
                ("cases", "/casussen/"),
                ("notifications", "/meldingen/"),
                ("notification choices", "/meldingen/voorkeuren/"),
            ],
        ),
        (
            admin,
            [("agreements", "/beheer/afspraken/"), ("agreement form", "/beheer/afspraken/nieuw/")],
        ),
    ]:
        context = launch_context(browser, viewport, bypass_csp=True)
        page = context.new_page()
        log_in(page, live_server.url, member.user.email, password)
        for name, path in paths:
            page.goto(live_server.url + path)
            found[name] = violations(page)
        context.close()
    assert {name: v for name, v in found.items() if v} == {}


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW_PHONE], ids=["desktop", "phone-360"])
def test_the_privacy_pages_meet_wcag_aa(
    browser,
    live_server,
    corporation,
    care_worker,
    corporation_worker,
    privacy_officer,
    admin,
    household,
    categories,
    password,
    viewport,
):
    from django.utils import timezone

    from cases.access.log import log_access
    from cases.models import AccessReport
    from tests.factories import SignalFactory

    SignalFactory(household=household, category=categories[0], description="Trap is te steil")
    log_access(actor=corporation_worker, action="view", household=household, obj=household)
    access = emergency_access_open(
        actor=care_worker, household=household, reason="Buren horen al twee dagen niets."
    )
    report = AccessReport.objects.create(
        organisation=corporation,
        day=timezone.localdate(),
        findings=[
            {
                "kind": "emergency",
                "user": care_worker.user_id,
                "organisation": care_worker.organisation_id,
                "household": household.pk,
                "corporation": corporation.pk,
                "emergency": access.pk,
            }
        ],
    )
    found = {}
    for member, paths in [
        (
            privacy_officer,
            [
                ("access log", "/privacy/toegangslog/"),
                ("access log filtered", "/privacy/toegangslog/?adres=Lindelaan&actie=view"),
                ("reports", "/privacy/meldingen/"),
                ("report", f"/privacy/meldingen/{report.pk}/"),
                ("emergency accesses", "/privacy/noodtoegang/"),
                ("avg find", "/privacy/avg/"),
                ("avg find, nothing", "/privacy/avg/?adres=9901AB+99"),
                ("avg overview", f"/privacy/avg/{household.pk}/"),
                ("avg document", f"/privacy/avg/{household.pk}/document/"),
                ("rectify", f"/privacy/avg/{household.pk}/corrigeren/"),
                ("erase", f"/privacy/avg/{household.pk}/wissen/"),
                ("retention", "/privacy/bewaartermijnen/"),
            ],
        ),
        (admin, [("retention terms", "/beheer/bewaartermijnen/")]),
        (
            care_worker,
            [
                ("emergency form", "/noodtoegang/"),
                ("emergency household", f"/noodtoegang/{access.pk}/"),
            ],
        ),
    ]:
        context = launch_context(browser, viewport, bypass_csp=True)
        page = context.new_page()
        log_in(page, live_server.url, member.user.email, password)
        for name, path in paths:
            page.goto(live_server.url + path)
            found[name] = violations(page)
        if member == privacy_officer:
            page.goto(live_server.url + f"/privacy/avg/{household.pk}/corrigeren/")
            page.get_by_label("Telefoon").fill("bel me")
            page.get_by_role("button", name="Correcties opslaan").click()
            page.wait_for_load_state()
            found["rectify with errors"] = violations(page)
        if member == admin:
            page.get_by_label("Gesloten signalen").fill("0")
            page.get_by_role("button", name="Bewaartermijnen opslaan").click()
            page.wait_for_load_state()
            found["retention terms with errors"] = violations(page)
        if member == care_worker:
            page.goto(live_server.url + "/noodtoegang/")
            page.get_by_role("button", name="Openen met noodtoegang").click()
            page.wait_for_load_state()
            found["emergency form with errors"] = violations(page)
        context.close()
    assert {name: v for name, v in found.items() if v} == {}
