"""Home visits without a network, in Chromium at 360 px (ADR 0030): the service worker keeps the
pages a person opened, a visit typed offline waits on the device and arrives exactly once, also
from two tabs, after a session ended or was ended by an administrator."""

import re

import pytest
from django.conf import settings

from cases.models import AccessLog, HomeVisit, Signal
from tests.browser.conftest import (
    SAVED_HERE,
    device_holds,
    fill_visit,
    kept,
    log_in,
    open_kept_form,
    open_phone,
    pass_server_time,
    until,
    wait_device_empty,
    wait_draft_holds,
    wait_kept,
    waiting_count,
    worker_ready,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def test_a_visit_sent_in_the_background_is_said_on_the_start_page(
    browser, live_server, corporation_worker, household, categories, password
):
    context, page = open_phone(browser, live_server)
    log_in(page, live_server.url, corporation_worker.user.email, password)
    wait_kept(page, "/")
    open_kept_form(page, household)
    context.set_offline(True)
    fill_visit(page, categories[:1])
    page.get_by_role("button", name="Huisbezoek opslaan").click()
    assert waiting_count(page) == "Wacht op versturen: 1"
    page.goto(live_server.url + "/")  # kept: the list of what waits
    page.get_by_test_id("waiting-list").wait_for()

    context.set_offline(False)
    notice = page.get_by_test_id("sent-notice")
    notice.wait_for()
    assert notice.inner_text() == "Verstuurd en opgeslagen: Lindelaan 12-a, 9901 AB Testdorp."
    assert page.get_by_test_id("waiting-list").is_hidden()
    assert HomeVisit.objects.count() == 1
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


def test_a_draft_survives_closing_the_tab(
    browser, live_server, corporation_worker, household, categories, password
):
    context, page = open_phone(browser, live_server)
    log_in(page, live_server.url, corporation_worker.user.email, password)
    open_kept_form(page, household)
    fill_visit(page, categories[:1], notes="Halverwege")
    page.get_by_test_id("draft-status").get_by_text(SAVED_HERE).wait_for()
    wait_draft_holds(page, "Halverwege")
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
    until(page, "() => caches.has('inclusie-pages').then((has) => !has)")
    assert len(device_holds(page)["visits"]) == 1, "a waiting visit is not thrown away"
    log_in(page, live_server.url, email, password)
    wait_device_empty(page)
    assert HomeVisit.objects.count() == 1

    # Nothing waiting now: the next time the administrator ends the session, all of it goes.
    page.goto(live_server.url + f"/huishoudens/{household.pk}/")
    wait_kept(page, f"/huishoudens/{household.pk}/")
    sessions_end_for(user_id=corporation_worker.user_id)
    page.goto(live_server.url + f"/huishoudens/{household.pk}/")
    page.wait_for_url(re.compile(r"/account/login/"))
    until(page, "() => caches.has('inclusie-pages').then((has) => !has)")
    assert "inclusie" not in device_holds(page)["databases"]
    assert page.problems == []
    context.close()
