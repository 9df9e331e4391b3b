"""One phone, several hands (ADR 0030), in Chromium at 360 px: a person who signs in after
another cannot open the pages kept for that one, nor send that one's waiting visits; two tabs of
one household make two visits; a device that cannot store says so and loses nothing typed; a
kept page is not shown longer than a session can last; a person who may no longer log visits
is told so."""

import re

import pytest

from cases.models import HomeVisit
from tests.browser.conftest import (
    device_holds,
    fill_visit,
    kept,
    log_in,
    until,
    wait_device_empty,
    wait_draft_holds,
    waiting_count,
)
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FORM = "/huishoudens/{}/huisbezoek/"


def save_offline(page, context, categories, notes):
    context.set_offline(True)
    fill_visit(page, categories[:1], notes=notes)
    page.get_by_role("button", name="Huisbezoek opslaan").click()


def test_the_next_person_on_a_phone_gets_neither_the_pages_nor_the_visits_of_the_one_before(
    at_kept_form, live_server, corporation_worker, corporation, household, categories, password
):
    from partners.sessions import sessions_end_for

    colleague = MembershipFactory(organisation=corporation, role="medewerker")
    context, page = at_kept_form
    save_offline(page, context, categories, "Gezien door de eerste")
    assert waiting_count(page) == "Wacht op versturen: 1"

    # The first person's session is ended elsewhere; this page of theirs stays open.
    sessions_end_for(user_id=corporation_worker.user_id)
    context.set_offline(False)
    status = page.get_by_test_id("draft-status")
    status.get_by_text("Meld je opnieuw aan").wait_for()
    # The colleague signs in on the same phone, in another tab; the first page tries again.
    other = context.new_page()
    other.set_default_timeout(10_000)
    log_in(other, live_server.url, colleague.user.email, password)
    until(other, "() => caches.has('inclusie-pages').then((has) => !has)")
    with page.expect_response(lambda response: "/sessie/" in response.url):
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_load_state("networkidle")
    assert HomeVisit.objects.count() == 0, "never sent as the colleague"
    assert "Meld je opnieuw aan" in status.inner_text()
    assert len(device_holds(other)["visits"]) == 1, "it waits for the one who made it"
    assert other.get_by_test_id("waiting-count").is_hidden(), "and is not the colleague's"

    context.set_offline(True)
    other.goto(live_server.url + FORM.format(household.pk))
    other.get_by_text("Geen verbinding").wait_for()
    assert not kept(page, FORM.format(household.pk))
    context.close()


def test_two_tabs_of_one_household_make_two_visits(
    at_kept_form, live_server, corporation_worker, household, categories, password
):
    context, first = at_kept_form
    context.set_offline(True)
    fill_visit(first, categories[:1], notes="Eerste bezoek")
    wait_draft_holds(first, "Eerste bezoek")
    # A second tab opens the same form: it shows the draft, as typed so far.
    second = context.new_page()
    second.set_default_timeout(10_000)
    second.goto(live_server.url + FORM.format(household.pk))
    second.get_by_test_id("draft-restored").wait_for()
    first.get_by_role("button", name="Huisbezoek opslaan").click()
    assert waiting_count(first) == "Wacht op versturen: 1"

    # The second tab goes on as another visit, which is not the first one saved again.
    second.get_by_test_id("visit-form").get_by_label("Aantekeningen").fill("Tweede bezoek")
    wait_draft_holds(second, "Tweede bezoek")
    second.get_by_role("button", name="Huisbezoek opslaan").click()
    until(second, "() => document.querySelector('[data-waiting-number]').textContent === '2'")
    context.set_offline(False)
    second.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_device_empty(second)
    assert sorted(HomeVisit.objects.values_list("notes", flat=True)) == [
        "Eerste bezoek",
        "Tweede bezoek",
    ]
    context.close()


BROKEN_STORAGE = """
IDBObjectStore.prototype.put = function () {
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
};
"""


def test_a_device_that_cannot_store_says_so_and_keeps_the_form_filled(
    at_kept_form, live_server, corporation_worker, household, categories, password
):
    context, page = at_kept_form
    context.add_init_script(BROKEN_STORAGE)
    page.reload()
    save_offline(page, context, categories, "Niet kwijtraken")
    problem = page.get_by_test_id("storage-problem")
    problem.wait_for()
    assert "Houd deze pagina open" in problem.inner_text()
    notes = page.get_by_test_id("visit-form").get_by_label("Aantekeningen")
    assert notes.input_value() == "Niet kwijtraken", "nothing typed is emptied"

    context.set_offline(False)
    page.get_by_role("button", name="Huisbezoek opslaan").click()
    page.get_by_text("Het huisbezoek is opgeslagen.").wait_for()
    assert list(HomeVisit.objects.values_list("notes", flat=True)) == ["Niet kwijtraken"]
    context.close()


def test_a_kept_page_older_than_a_session_can_last_is_not_shown(
    at_kept_form, live_server, corporation_worker, household, password
):
    from django.conf import settings

    context, page = at_kept_form
    # As if it was kept a day ago: its time goes back past the longest session.
    page.evaluate(
        """async ([url, seconds]) => {
            const cache = await caches.open("inclusie-pages");
            const kept = await cache.match(url);
            const headers = new Headers(kept.headers);
            headers.set("Inclusie-Kept-At", String(Date.now() - (seconds + 60) * 1000));
            await cache.put(url, new Response(await kept.blob(), { headers }));
        }""",
        [page.url, settings.SESSION_ABSOLUTE_TIMEOUT],
    )
    context.set_offline(True)
    page.reload()
    page.get_by_text("Geen verbinding").wait_for()
    until(page, "(url) => caches.match(url).then((hit) => !hit)", page.url)
    context.close()


def test_a_person_who_may_no_longer_log_visits_is_told_so_and_the_visit_stays(
    at_kept_form, live_server, corporation_worker, household, categories, password
):
    context, page = at_kept_form
    save_offline(page, context, categories, "Nog te versturen")
    corporation_worker.role = "manager"
    corporation_worker.save(update_fields=["role"])

    context.set_offline(False)
    status = page.get_by_test_id("draft-status")
    status.get_by_text(re.compile("Je mag geen huisbezoeken meer vastleggen")).wait_for()
    assert HomeVisit.objects.count() == 0
    assert len(device_holds(page)["visits"]) == 1
    context.close()
