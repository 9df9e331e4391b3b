"""What is typed survives a time-out (ADR 0016): a home visit typed before the idle limit and
sent after it goes to the login page; after logging in the form shows the text again, and
saving it saves exactly one visit, also when the same send arrives a second time. A form whose
target answers only POST brings the person back to the page that showed it."""

import json
import re

import pytest
from django.conf import settings
from django.utils import timezone

from cases.models import HomeVisit
from cases.services.consents import consent_record
from cases.services.referrals import referral_send
from cases.workflow import ReferralStatus
from tests.browser.conftest import DESKTOP, PHONE, launch_context, log_in, pass_server_time
from tests.factories import SignalFactory, agree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOTES = "Kraan in de keuken lekt; de verhuurder belt maandag terug."


def _draft(page):
    """The drafts this browser keeps, by their storage key."""
    return json.loads(
        page.evaluate(
            """() => JSON.stringify(Object.fromEntries(Object.keys(localStorage)
                 .filter((k) => k.startsWith("inclusie:draft:"))
                 .map((k) => [k, JSON.parse(localStorage.getItem(k))])))"""
        )
    )


def _visits_on_device(page):
    """The home visits this browser keeps in IndexedDB (ADR 0030: the visit form keeps its
    drafts there, not in localStorage)."""
    return page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("inclusie");
            open.onupgradeneeded = () => open.result.createObjectStore("visits", { keyPath: "id" });
            open.onsuccess = () => {
                const all = open.result.transaction("visits").objectStore("visits").getAll();
                all.onsuccess = () => { open.result.close(); resolve(all.result); };
            };
        })"""
    )


def test_a_visit_typed_before_a_time_out_is_saved_once_after_logging_in_again(
    browser, live_server, corporation_worker, household, password
):
    context = launch_context(browser, PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    # The session's status answers 401 past the idle limit (ADR 0016); the browser reports it.
    page.on(
        "console",
        lambda m: (
            m.type in ("error", "warning")
            and "status of 401" not in m.text
            and problems.append(m.text)
        ),
    )
    email = corporation_worker.user.email
    log_in(page, live_server.url, email, password)
    form_url = f"{live_server.url}/huishoudens/{household.pk}/huisbezoek/"
    page.goto(form_url)
    form = page.get_by_test_id("visit-form")
    form.locator("fieldset", has_text="Uitkomst").get_by_text("Geen zorgen", exact=True).click()
    form.get_by_label("Aantekeningen").fill(NOTES)
    page.get_by_test_id("draft-status").get_by_text(
        "Opgeslagen op dit toestel, nog niet verstuurd"
    ).wait_for()
    [draft] = _visits_on_device(page)
    assert draft["id"] == f"{corporation_worker.user_id}:{household.pk}"
    assert draft["values"]["notes"] == [NOTES]
    assert _draft(page) == {}, "the visit form keeps nothing in localStorage"

    pass_server_time(context, settings.SESSION_IDLE_TIMEOUT + 60)
    page.get_by_role("button", name="Huisbezoek opslaan").click()
    page.wait_for_url(re.compile(rf"/account/login/\?next=/huishoudens/{household.pk}/huisbezoek/"))
    page.get_by_text("Je sessie is beëindigd. Meld je opnieuw aan.").wait_for()
    assert HomeVisit.objects.count() == 0
    [waiting] = _visits_on_device(page)
    assert waiting["key"] == draft["key"] and waiting["state"] == "waiting"

    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(form_url)
    # Back on the form, the waiting visit is sent by itself, once.
    page.get_by_test_id("draft-status").get_by_text(
        "Het bezoek dat op dit toestel stond, is verstuurd en opgeslagen."
    ).wait_for()
    assert list(HomeVisit.objects.values_list("notes", flat=True)) == [NOTES]
    assert _visits_on_device(page) == [], "the visit leaves the device once the server has it"

    # The same send once more through the form (a double tap, a retry): no second visit.
    csrf = page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']")
    again = page.request.post(
        form_url,
        form={
            "csrfmiddlewaretoken": csrf,
            "idempotency_key": draft["key"],
            "visited_on": draft["values"]["visited_on"][0],
            "kind": "regulier",
            "outcome": "geen_zorgen",
            "notes": NOTES,
        },
        max_redirects=0,
    )
    assert again.status == 302
    assert again.headers["location"] == f"/huishoudens/{household.pk}/"
    assert HomeVisit.objects.count() == 1
    assert problems == []
    context.close()


def test_a_decline_typed_before_a_time_out_comes_back_on_the_referral_page(
    browser,
    live_server,
    welfare,
    corporation_worker,
    welfare_worker,
    household,
    categories,
    password,
):
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
    signal = SignalFactory(household=household, category=lonely)
    referral = referral_send(
        actor=corporation_worker, household=household, to_organisation=welfare, signals=[signal]
    )
    reason = "Past beter bij de schuldhulp van de gemeente."
    context = launch_context(browser, DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, welfare_worker.user.email, password)
    detail = f"{live_server.url}/verwijzingen/{referral.pk}/"
    page.goto(detail)
    page.get_by_text("Afwijzen", exact=True).click()
    page.locator("input[name=category]").first.check()
    page.get_by_label("Reden van afwijzing").fill(reason)

    pass_server_time(context, settings.SESSION_IDLE_TIMEOUT + 60)
    page.get_by_role("button", name="Verwijzing afwijzen").click()
    page.wait_for_url(re.compile(rf"/account/login/\?next=/verwijzingen/{referral.pk}/$"))
    page.get_by_label("E-mailadres").fill(welfare_worker.user.email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(detail)
    field = page.get_by_label("Reden van afwijzing")
    assert field.is_visible(), "the folded form is opened to show the text put back"
    assert field.input_value() == reason
    page.get_by_role("button", name="Verwijzing afwijzen").click()
    page.get_by_text("Je hebt de verwijzing afgewezen.").wait_for()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AFGEWEZEN
    assert referral.decline_reason == reason
    context.close()
