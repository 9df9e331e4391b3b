"""Home visits without a network, in Chromium at 360 px (ADR 0030): the service worker keeps the
pages a person opened, a visit typed offline waits on the device and arrives exactly once,
also after a session ended; signing out leaves no personal data, or warns first."""

import re
import time

import pytest
from django.conf import settings

from cases.models import AccessLog, HomeVisit, Household, Signal
from tests.browser.conftest import NARROW_PHONE, launch_context, log_in, pass_server_time

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


def until(page, script, arg=None, seconds=10):
    """Until the (asynchronous) script is true in the page. wait_for_function would take the
    promise itself for true."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"still false after {seconds}s: {script}"
        page.wait_for_timeout(100)


def wait_kept(page, path):
    until(
        page,
        """(url) => caches.open("inclusie-pages").then((c) => c.match(url)).then(Boolean)""",
        page.base_url + path,
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


def wait_device_empty(page):
    """Until no visit waits on the device (the server confirmed each one)."""
    until(
        page,
        """() => new Promise((resolve) => {
            const open = indexedDB.open("inclusie");
            open.onsuccess = () => {
                const all = open.result.transaction("visits").objectStore("visits").count();
                all.onsuccess = () => { open.result.close(); resolve(all.result === 0); };
            };
        })""",
    )


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


def open_kept_form(page, household):
    """Signed in: open the visit form once with a network, so the device keeps it."""
    worker_ready(page)
    path = f"/huishoudens/{household.pk}/huisbezoek/"
    page.goto(page.base_url + path)
    wait_kept(page, path)


def test_one_waiting_visit_sent_from_two_tabs_and_again_arrives_once(
    browser, live_server, corporation_worker, household, categories, password
):
    context, page = open_phone(browser, live_server)
    log_in(page, live_server.url, corporation_worker.user.email, password)
    open_kept_form(page, household)
    other_tab = context.new_page()
    other_tab.goto(live_server.url + "/")

    context.set_offline(True)
    fill_visit(page, categories[:2])
    page.get_by_role("button", name="Huisbezoek opslaan").click()
    assert waiting_count(page) == "Wacht op versturen: 1"
    [waiting] = device_holds(page)["visits"]

    # Back online, both tabs send what waits on the device at the same moment.
    context.set_offline(False)
    for tab in (page, other_tab):
        tab.get_by_test_id("waiting-count").wait_for(state="hidden")
    assert HomeVisit.objects.count() == 1
    # And once more by hand, as a retry after a lost answer would: the first answer, nothing new.
    csrf = page.evaluate(
        "fetch(document.body.dataset.sessionUrl).then((r) => r.json()).then((d) => d.csrf)"
    )
    again = page.request.post(
        live_server.url + waiting["url"],
        headers={"X-CSRFToken": csrf},
        form={
            "idempotency_key": waiting["key"],
            "made_at": waiting["madeAt"],
            **{name: values[0] for name, values in waiting["values"].items() if values},
        },
    )
    assert again.json()["state"] == "saved" and again.json()["again"] is True
    assert HomeVisit.objects.count() == 1
    assert Signal.objects.count() == 2
    assert page.problems == []
    context.close()


def test_a_double_tap_on_save_saves_one_visit(
    browser, live_server, corporation_worker, household, categories, password
):
    context, page = open_phone(browser, live_server)
    log_in(page, live_server.url, corporation_worker.user.email, password)
    open_kept_form(page, household)
    fill_visit(page, categories[:1])
    page.get_by_role("button", name="Huisbezoek opslaan").dblclick()
    page.get_by_text("Het huisbezoek is opgeslagen.").wait_for()
    assert HomeVisit.objects.count() == 1
    assert device_holds(page)["visits"] == []
    assert page.problems == []
    context.close()


def test_a_visit_saved_offline_while_the_session_ends_arrives_after_signing_in(
    browser, live_server, corporation_worker, household, categories, password
):
    context, page = open_phone(browser, live_server)
    email = corporation_worker.user.email
    log_in(page, live_server.url, email, password)
    open_kept_form(page, household)

    context.set_offline(True)
    fill_visit(page, categories[:2])
    page.get_by_role("button", name="Huisbezoek opslaan").click()
    assert waiting_count(page) == "Wacht op versturen: 1"
    pass_server_time(context, settings.SESSION_IDLE_TIMEOUT + 60)

    context.set_offline(False)
    page.get_by_test_id("draft-status").get_by_text("Meld je opnieuw aan").wait_for()
    assert HomeVisit.objects.count() == 0
    assert len(device_holds(page)["visits"]) == 1, "it stays on the device"

    page.reload()
    page.wait_for_url(re.compile(r"/account/login/"))
    assert len(device_holds(page)["visits"]) == 1, "the login page keeps what waits"
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(re.compile(rf"/huishoudens/{household.pk}/huisbezoek/$"))
    wait_device_empty(page)
    visit = HomeVisit.objects.get()
    assert visit.signals.count() == 2
    assert device_holds(page)["visits"] == []
    assert page.problems == []
    context.close()


def sign_out(page):
    button = page.get_by_role("button", name="Afmelden")
    if not button.is_visible():
        page.get_by_role("button", name="Menu openen").click()
    button.click()


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
    browser, live_server, corporation_worker, household, categories, password
):
    context, page = open_phone(browser, live_server)
    log_in(page, live_server.url, corporation_worker.user.email, password)
    open_kept_form(page, household)
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
    browser, live_server, corporation_worker, household, categories, third_corporation, password
):
    context, page = open_phone(browser, live_server)
    log_in(page, live_server.url, corporation_worker.user.email, password)
    open_kept_form(page, household)
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


def test_a_draft_survives_closing_the_tab(
    browser, live_server, corporation_worker, household, categories, password
):
    context, page = open_phone(browser, live_server)
    log_in(page, live_server.url, corporation_worker.user.email, password)
    open_kept_form(page, household)
    fill_visit(page, categories[:1], notes="Halverwege")
    page.get_by_test_id("draft-status").get_by_text(SAVED_HERE).wait_for()
    page.close()

    page = context.new_page()
    page.goto(live_server.url + f"/huishoudens/{household.pk}/huisbezoek/")
    page.get_by_test_id("draft-restored").wait_for()
    form = page.get_by_test_id("visit-form")
    assert form.get_by_label("Aantekeningen").input_value() == "Halverwege"
    assert form.get_by_label(categories[0].name).is_checked()
    assert SAVED_HERE in page.get_by_test_id("draft-status").inner_text()
    assert HomeVisit.objects.count() == 0
    context.close()


def test_a_session_ended_by_an_administrator_clears_kept_pages_but_keeps_waiting_visits(
    browser, live_server, corporation_worker, household, categories, password
):
    from partners.sessions import sessions_end_for

    context, page = open_phone(browser, live_server)
    email = corporation_worker.user.email
    log_in(page, live_server.url, email, password)
    open_kept_form(page, household)
    context.set_offline(True)
    fill_visit(page, categories[:1])
    page.get_by_role("button", name="Huisbezoek opslaan").click()
    assert waiting_count(page) == "Wacht op versturen: 1"

    sessions_end_for(user_id=corporation_worker.user_id)
    context.set_offline(False)
    page.goto(live_server.url + "/")
    page.wait_for_url(re.compile(r"/account/login/"))
    page.wait_for_timeout(500)
    assert len(device_holds(page)["visits"]) == 1, "a waiting visit is not thrown away"
    log_in(page, live_server.url, email, password)
    wait_device_empty(page)
    assert HomeVisit.objects.count() == 1

    # Nothing waiting now: the next time the administrator ends the session, the kept pages go.
    page.goto(live_server.url + f"/huishoudens/{household.pk}/")
    wait_kept(page, f"/huishoudens/{household.pk}/")
    sessions_end_for(user_id=corporation_worker.user_id)
    page.goto(live_server.url + f"/huishoudens/{household.pk}/")
    page.wait_for_url(re.compile(r"/account/login/"))
    until(page, "() => caches.has('inclusie-pages').then((has) => !has)")
    assert "inclusie" not in device_holds(page)["databases"]
    assert page.problems == []
    context.close()
