"""WCAG 2.1 AA checks by axe-core (vendored in tests/browser/vendor, MPL-2.0) on every page of
the foundation, at desktop size and on a phone. Axe finds what a machine can find (contrast,
labels, landmarks, names); the keyboard and focus checks below add what it cannot."""

import re
from pathlib import Path

import pytest

from cases.services.consents import consent_record
from cases.services.emergency import emergency_access_open
from cases.services.referrals import referral_send
from cases.services.support import support_package_request
from tests.browser.conftest import DESKTOP, NARROW_PHONE, launch_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page):
    """Axe's WCAG 2.1 AA violations on the page, plus sideways scrolling (none at 360 px)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    # Axe is injected only in this test's context, which bypasses the CSP for that purpose.
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    found = [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in result["violations"]
    ]
    return found + ([f"scrolls sideways by {overflow}px"] if overflow > 0 else [])


@pytest.fixture
def invitation_link(admin, django_capture_on_commit_callbacks):
    from django.core import mail

    from partners import services

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=admin, email="nieuw@test.example", name="Nieuwe Collega", role="medewerker"
        )
    return re.search(r"/uitnodiging/\S+/", mail.outbox[-1].body).group(0)


def log_in(page, base_url, email, password):
    page.goto(base_url + "/account/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()


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
    page.get_by_role("button", name="Huisbezoek opslaan").click()
    page.wait_for_load_state()
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

    from tests.cases.test_referrals import agree
    from tests.factories import SignalFactory

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
            page.get_by_label("Toegangslog").fill("3")
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

    from tests.cases.test_ledger import build_example

    build_example(
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
def test_the_dashboards_meet_wcag_aa(
    browser,
    live_server,
    corporation,
    welfare,
    care,
    third_corporation,
    corporation_worker,
    welfare_worker,
    categories,
    password,
    viewport,
):
    from cases.services.dashboards import dashboard_refresh
    from tests.cases import dashboard_world

    world = dashboard_world.build(
        corporation=corporation,
        welfare=welfare,
        care=care,
        third_corporation=third_corporation,
        corporation_worker=corporation_worker,
        welfare_worker=welfare_worker,
        categories=categories,
    )
    dashboard_refresh()
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
