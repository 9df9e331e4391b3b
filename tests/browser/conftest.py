"""Playwright driving Debian's Chromium (never a downloaded browser) against the live server, and
axe-core (vendored in tests/browser/vendor, MPL-2.0) to check a page against WCAG 2.1 AA."""

import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NARROW_PHONE = {"width": 360, "height": 740}
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser(chromium, in_ci):
    if not os.access(chromium, os.X_OK):
        if in_ci:
            pytest.fail(f"Chromium is required under CI=true ({chromium}).")
        pytest.skip(f"Chromium is not installed at {chromium}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


# Every request a browser context made: (its URL, the address of the document that asked, or
# None for the service worker). Nothing Inclusie serves may reach a host but its own.
REQUESTS = []
WITHOUT_HOST = ("data", "blob", "about", "chrome-extension")


def record_request(request):
    try:
        asked_by = request.frame.url
    except Exception:  # a service worker's request has no frame
        asked_by = None
    REQUESTS.append((request.url, asked_by))


def launch_context(browser, viewport, **options):
    # An English browser: Inclusie must still speak Dutch first.
    context = browser.new_context(viewport=viewport, locale="en-US", **options)
    context.on("request", record_request)
    return context


def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def foreign_requests(own, allowed=()):
    """The requests Inclusie's pages or its service worker made to a host but their own: a
    resource from anywhere else, or a page of ours sending the browser on to one. Only the
    addresses in `allowed` (the test's identity provider) may be visited, and what a page there
    asks for is that site's own business."""
    own = origin(own)
    mine = (own, *(origin(url) for url in allowed))
    found = []
    for url, asked_by in REQUESTS:
        if urlsplit(url).scheme in WITHOUT_HOST or origin(url) in mine:
            continue
        if asked_by is None or origin(asked_by) == own:
            found.append(url)
    return found


@pytest.fixture(autouse=True)
def only_our_own_hosts(request):
    """Fails a browser test whose pages reached any host but the site's own (and the test's
    identity provider, where the person signs in)."""
    REQUESTS.clear()
    if "live_server" not in request.fixturenames:
        yield
        return
    # Asked for now: the fixtures are torn down before this one.
    own = request.getfixturevalue("live_server").url
    allowed = []
    if "identity_provider" in request.fixturenames:
        allowed.append(request.getfixturevalue("identity_provider").url)
    yield
    found = foreign_requests(own, allowed)
    REQUESTS.clear()
    assert not found, f"requests to another host: {found}"


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def page(request, browser, live_server):
    context = launch_context(browser, request.param)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_problems = []
    page.on(
        "console",
        lambda message: (
            message.type in ("error", "warning") and page.console_problems.append(message.text)
        ),
    )
    page.base_url = live_server.url
    yield page
    context.close()


def violations(page):
    """Axe's WCAG 2.1 AA violations on the page, plus sideways scrolling (none at 360 px)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    # Axe is injected only in the checking test's context, which bypasses the CSP for that purpose.
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    found = [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in result["violations"]
    ]
    return found + ([f"scrolls sideways by {overflow}px"] if overflow > 0 else [])


def log_in(page, base_url, email, password):
    page.goto(base_url + "/account/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()


def server_session(context):
    """The server's session of a browser context (its cookie), to read or move its clock."""
    from django.conf import settings

    from partners.sessions import SessionStore

    key = next(c["value"] for c in context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    return SessionStore(session_key=key)


def pass_server_time(context, seconds):
    """As if this many seconds passed on the server with nothing done: the session's clock moves
    back. Returns the session's last-seen time after the move."""
    from partners.sessions import LAST_SEEN_KEY, STARTED_KEY

    session = server_session(context)
    session[STARTED_KEY] -= seconds
    session[LAST_SEEN_KEY] -= seconds
    session.save()
    return session[LAST_SEEN_KEY]


# --- Offline home visits (ADR 0030): a phone with its service worker, and what it keeps ------

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
    """Until the service worker controls the page (it then sees every page opened after)."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


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


def wait_draft_holds(page, text):
    """Until the draft on the device holds this text (every change is written as typed, one
    write after the other: the last one may still be on its way)."""
    until(
        page,
        """(text) => new Promise((resolve) => {
            const open = indexedDB.open("inclusie");
            open.onsuccess = () => {
                const all = open.result.transaction("visits").objectStore("visits").getAll();
                all.onsuccess = () => {
                    open.result.close();
                    resolve(all.result.some((r) => JSON.stringify(r.values).includes(text)));
                };
            };
        })""",
        text,
    )


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


def open_kept_form(page, household):
    """Signed in: open the visit form once with a network, so the device keeps it."""
    worker_ready(page)
    path = f"/huishoudens/{household.pk}/huisbezoek/"
    page.goto(page.base_url + path)
    wait_kept(page, path)


@pytest.fixture
def at_kept_form(browser, live_server, corporation_worker, household, categories, password):
    """A corporation worker on a phone, signed in, at the household's visit form, which the
    device now keeps: (context, page)."""
    context, page = open_phone(browser, live_server)
    log_in(page, live_server.url, corporation_worker.user.email, password)
    open_kept_form(page, household)
    yield context, page
    context.close()


def sign_out(page):
    button = page.get_by_role("button", name="Afmelden")
    if not button.is_visible():
        page.get_by_role("button", name="Menu openen").click()
        page.locator("#hoofdmenu.show").wait_for()  # unfolded, not still moving
    button.click()
