"""Home visits without a network, in Chromium at 360 px (ADR 0030): the service worker keeps the
pages a person opened, a visit typed offline waits on the device and arrives exactly once,
also after a session ended; signing out leaves no personal data, or warns first."""

import re

import pytest
from django.conf import settings

from cases.models import AccessLog, HomeVisit, Signal
from tests.browser.conftest import NARROW_PHONE, launch_context, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAVED_HERE = "Opgeslagen op dit toestel, nog niet verstuurd"
# With the network switched off, Chromium and htmx report each failed request (the bell's poll)
# in the console; anything else there (a CSP violation, a script error) fails the test.
OFFLINE_NOISE = (
    "ERR_INTERNET_DISCONNECTED",
    "Failed to load resource",
    "htmx:sendError",
    "htmx:afterRequest",
)


def open_phone(browser, live_server):
    context = launch_context(browser, NARROW_PHONE, service_workers="allow")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.problems = []
    page.on(
        "console",
        lambda m: (
            m.type in ("error", "warning")
            and not any(noise in m.text for noise in OFFLINE_NOISE)
            and page.problems.append(m.text)
        ),
    )
    page.base_url = live_server.url
    return context, page


def worker_ready(page):
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def kept(page, path):
    """Whether the device keeps this page (the service worker's cache of pages)."""
    return page.evaluate(
        """(url) => caches.open("inclusie-pages").then((c) => c.match(url)).then(Boolean)""",
        page.base_url + path,
    )


def wait_kept(page, path):
    page.wait_for_function(
        """(url) => caches.open("inclusie-pages").then((c) => c.match(url)).then(Boolean)""",
        arg=page.base_url + path,
    )


def device_holds(page):
    """What the device keeps: the names of its caches and the visits in IndexedDB."""
    return page.evaluate(
        """async () => {
            const caches_ = await caches.keys();
            const dbs = (await indexedDB.databases()).map((db) => db.name);
            let visits = [];
            if (dbs.includes("inclusie")) {
                visits = await new Promise((resolve) => {
                    const open = indexedDB.open("inclusie");
                    open.onsuccess = () => {
                        const db = open.result;
                        if (!db.objectStoreNames.contains("visits")) {
                            db.close(); resolve([]); return;
                        }
                        const all = db.transaction("visits").objectStore("visits").getAll();
                        all.onsuccess = () => { db.close(); resolve(all.result); };
                    };
                });
            }
            const drafts = Object.keys(localStorage).filter((k) => k.startsWith("inclusie:draft:"));
            return { caches: caches_, databases: dbs, visits, drafts };
        }"""
    )


def fill_visit(page, categories, notes="Koffie gedronken"):
    form = page.get_by_test_id("visit-form")
    form.locator("fieldset", has_text="Uitkomst").get_by_text("Signalen", exact=True).click()
    for n, category in enumerate(categories):
        item = form.locator(".category-item", has_text=category.name)
        item.get_by_label(category.name).check()
        item.get_by_text("Midden").click()
        item.get_by_label("Korte beschrijving").fill(f"Gezien: signaal {n + 1}")
    form.get_by_label("Aantekeningen").fill(notes)


def waiting_count(page):
    """The count of visits waiting on this device, in the header (once it shows)."""
    count = page.get_by_test_id("waiting-count")
    count.wait_for()
    return " ".join(count.inner_text().split())


def test_a_visit_typed_offline_survives_a_reload_and_arrives_once_with_both_signals(
    browser, live_server, corporation_worker, household, categories, password
):
    context, page = open_phone(browser, live_server)
    log_in(page, live_server.url, corporation_worker.user.email, password)
    worker_ready(page)
    form_path = f"/huishoudens/{household.pk}/huisbezoek/"
    for path in ("/", f"/huishoudens/{household.pk}/", form_path):
        page.goto(live_server.url + path)
        wait_kept(page, path)
    assert not kept(page, "/huishoudens/"), "a list of households is never kept"
    opened = AccessLog.objects.filter(household=household, action="view").count()

    context.set_offline(True)
    page.reload()
    fill_visit(page, categories[:2])
    page.get_by_role("button", name="Huisbezoek opslaan").click()
    status = page.get_by_test_id("draft-status")
    status.get_by_text(SAVED_HERE).wait_for()
    assert waiting_count(page) == "Wacht op versturen: 1"

    page.reload()  # offline: the kept form, the visit still waiting on the device
    page.get_by_test_id("waiting-count").wait_for()
    assert waiting_count(page) == "Wacht op versturen: 1"
    assert SAVED_HERE in status.inner_text()
    page.goto(live_server.url + f"/huishoudens/{household.pk}/")  # kept as well
    assert page.get_by_test_id("timeline").is_visible()
    assert HomeVisit.objects.count() == 0
    assert AccessLog.objects.filter(household=household, action="view").count() == opened, (
        "reading a kept page offline is not logged"
    )

    context.set_offline(False)
    page.get_by_test_id("waiting-count").wait_for(state="hidden")
    visit = HomeVisit.objects.get()
    assert sorted(Signal.objects.filter(visit=visit).values_list("category", flat=True)) == sorted(
        c.pk for c in categories[:2]
    )
    assert visit.made_at < visit.created_at
    [created] = AccessLog.objects.filter(action="create", object_type="cases.homevisit")
    assert created.detail["made_at"] == visit.made_at.isoformat()
    assert device_holds(page)["visits"] == []
    assert page.problems == []
    context.close()
