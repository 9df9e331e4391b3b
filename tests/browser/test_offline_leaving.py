"""Leaving a phone behind (ADR 0030), in Chromium at 360 px: signing out with nothing waiting
leaves no personal data; with a draft it warns, lists it and deletes it only when confirmed;
switching organisation does the same; a visit the server cannot take says why and waits until
the person decides."""

import re

import pytest

from cases.models import HomeVisit, Household
from tests.browser.conftest import (
    device_holds,
    fill_visit,
    kept,
    log_in,
    open_kept_form,
    open_phone,
    sign_out,
    wait_kept,
    waiting_count,
    worker_ready,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signing_out_with_nothing_waiting_leaves_no_personal_data_on_the_device(
    browser, live_server, corporation_worker, household, categories, password
):
    context, page = open_phone(browser, live_server)
    log_in(page, live_server.url, corporation_worker.user.email, password)
    worker_ready(page)
    for path in ("/", f"/huishoudens/{household.pk}/"):
        page.goto(live_server.url + path)
        wait_kept(page, path)
    open_kept_form(page, household)
    fill_visit(page, categories[:1])
    page.get_by_role("button", name="Huisbezoek opslaan").click()
    page.get_by_text("Het huisbezoek is opgeslagen.").wait_for()

    sign_out(page)
    page.wait_for_url(re.compile(r"/account/login/"))
    holds = device_holds(page)
    assert holds["visits"] == [] and holds["drafts"] == []
    assert "inclusie" not in holds["databases"]
    assert "inclusie-pages" not in holds["caches"]
    # Only the static files may be kept again as the login page uses them: no page, no data.
    urls = page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                (await cache.keys()).forEach((request) => urls.push(new URL(request.url).pathname));
            }
            return urls;
        }"""
    )
    assert all(url.startswith("/static/") for url in urls), urls
    assert page.problems == []
    context.close()


def test_signing_out_with_a_draft_warns_and_lists_it_and_confirming_deletes_it(
    at_kept_form, live_server, corporation_worker, household, categories, password
):
    context, page = at_kept_form
    fill_visit(page, categories[:1], notes="Nog niet af")
    page.wait_for_function("() => !document.querySelector('[data-testid=draft-status]').hidden")

    sign_out(page)
    warning = page.get_by_test_id("leave-warning")
    warning.wait_for()
    assert "Lindelaan 12-a, 9901 AB Testdorp (nog niet af" in warning.inner_text()
    warning.get_by_role("button", name="Annuleren").click()
    assert warning.is_hidden()
    assert len(device_holds(page)["visits"]) == 1, "cancelling keeps the draft"
    assert "/huisbezoek/" in page.url, "and the person is still signed in"

    sign_out(page)
    warning.get_by_role("button", name="Verwijderen en doorgaan").click()
    page.wait_for_url(re.compile(r"/account/login/"))
    holds = device_holds(page)
    assert holds["visits"] == [] and "inclusie-pages" not in holds["caches"]
    assert HomeVisit.objects.count() == 0
    assert page.problems == []
    context.close()


def test_a_conflict_says_why_and_the_visit_stays_until_the_person_deletes_it(
    at_kept_form,
    live_server,
    corporation_worker,
    household,
    categories,
    third_corporation,
    password,
):
    context, page = at_kept_form
    context.set_offline(True)
    fill_visit(page, categories[:1])
    page.get_by_role("button", name="Huisbezoek opslaan").click()
    assert waiting_count(page) == "Wacht op versturen: 1"
    # Meanwhile the tenancy moved to another corporation.
    Household.objects.filter(pk=household.pk).update(corporation=third_corporation)

    context.set_offline(False)
    status = page.get_by_test_id("draft-status")
    status.get_by_text("hoort nu bij een andere corporatie").wait_for()
    assert "Niet verstuurd:" in status.inner_text()
    assert HomeVisit.objects.count() == 0
    assert waiting_count(page) == "Wacht op versturen: 1", "not applied, not dropped"

    page.get_by_test_id("waiting-count").click()
    item = page.get_by_test_id("waiting-list").get_by_test_id("waiting-visit")
    item.get_by_text("hoort nu bij een andere corporatie").wait_for()
    assert "Lindelaan 12-a, 9901 AB Testdorp" in item.inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    item.get_by_role("button", name="Van dit toestel verwijderen").click()
    page.get_by_test_id("waiting-list").wait_for(state="hidden")
    assert device_holds(page)["visits"] == []
    assert HomeVisit.objects.count() == 0
    assert page.problems == []
    context.close()


def test_switching_organisation_with_a_visit_not_sent_warns_first(
    browser, live_server, shared_worker, household, categories, password
):
    context, page = open_phone(browser, live_server)
    log_in(page, live_server.url, shared_worker.user.email, password)
    if page.get_by_test_id("actor-choices").count():
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile(shared_worker.organisation.name)).click()
    open_kept_form(page, household)
    fill_visit(page, categories[:1], notes="Nog niet af")
    page.wait_for_function("() => !document.querySelector('[data-testid=draft-status]').hidden")

    page.get_by_role("link", name="Andere organisatie kiezen").click()
    page.get_by_role("button", name=re.compile("Welzijn Testdorp")).click()
    warning = page.get_by_test_id("leave-warning")
    warning.wait_for()
    assert "Lindelaan 12-a, 9901 AB Testdorp" in warning.inner_text()
    warning.get_by_role("button", name="Verwijderen en doorgaan").click()
    page.get_by_text("Je werkt nu namens Welzijn Testdorp.").wait_for()
    page.wait_for_load_state("networkidle")
    assert device_holds(page)["visits"] == []
    # What was kept for the corporation is gone; only pages opened for welfare may follow.
    assert not kept(page, f"/huishoudens/{household.pk}/huisbezoek/")
    assert page.problems == []
    context.close()


def test_signing_out_when_the_device_cannot_be_read_warns_rather_than_assume_nothing_waits(
    at_kept_form, live_server, corporation_worker, household, password
):
    context, page = at_kept_form
    page.evaluate(
        """() => {
            IDBObjectStore.prototype.getAll = function () {
                throw new DOMException("The device could not read it.", "UnknownError");
            };
        }"""
    )
    sign_out(page)
    warning = page.get_by_test_id("leave-warning")
    warning.wait_for()
    assert "Dit toestel kon niet nagaan of er nog bezoeken wachten" in warning.inner_text()
    assert "/huisbezoek/" in page.url, "still signed in until the person confirms"
    context.close()
