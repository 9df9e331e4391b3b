"""A visit saved offline that the server cannot take as it is (ADR 0030), in Chromium at 360 px:
one it refuses goes back on its form with what was typed and why, and arrives once when
corrected; one in a conflict is sent again with "Opnieuw proberen" once the conflict is gone."""

import pytest

from cases.models import HomeVisit, Household, Signal
from tests.browser.conftest import (
    SAVED_HERE,
    device_holds,
    fill_visit,
    wait_device_empty,
    waiting_count,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def waiting_item(page):
    page.get_by_test_id("waiting-count").click()
    return page.get_by_test_id("waiting-list").get_by_test_id("waiting-visit")


def test_a_refused_visit_goes_back_on_its_form_and_arrives_once_when_corrected(
    at_kept_form, live_server, corporation_worker, household, categories, password
):
    context, page = at_kept_form
    context.set_offline(True)
    fill_visit(page, categories[:1], notes="Trap was donker")
    # The description is what the server asks for and the phone cannot check: left empty.
    form = page.get_by_test_id("visit-form")
    form.locator(".category-item", has_text=categories[0].name).get_by_label(
        "Korte beschrijving"
    ).fill("")
    page.get_by_role("button", name="Huisbezoek opslaan").click()
    assert waiting_count(page) == "Wacht op versturen: 1"

    context.set_offline(False)
    status = page.get_by_test_id("draft-status")
    status.get_by_text("Beschrijf in een paar woorden wat je zag.").wait_for()
    assert HomeVisit.objects.count() == 0
    item = waiting_item(page)
    item.get_by_text("Het is geweigerd").wait_for()
    assert "Beschrijf in een paar woorden wat je zag." in item.inner_text()
    assert item.get_by_role("button", name="Opnieuw proberen").count() == 0, (
        "sending the same again would be refused again"
    )

    item.get_by_role("link", name="Formulier openen").click()
    page.wait_for_url(f"**/huishoudens/{household.pk}/huisbezoek/")
    row = form.locator(".category-item", has_text=categories[0].name)
    row.get_by_label(categories[0].name).wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=visit-form] textarea[name=notes]')"
        ".value === 'Trap was donker'"
    )
    assert row.get_by_label(categories[0].name).is_checked(), "what was typed came back"
    assert "Beschrijf in een paar woorden wat je zag." in status.inner_text()
    assert SAVED_HERE in status.inner_text()

    row.get_by_label("Korte beschrijving").fill("Lamp in het trappenhuis kapot")
    page.get_by_role("button", name="Huisbezoek opslaan").click()
    page.wait_for_url(f"**/huishoudens/{household.pk}/")
    visit = HomeVisit.objects.get()
    assert visit.notes == "Trap was donker"
    assert Signal.objects.get(visit=visit).description == "Lamp in het trappenhuis kapot"
    wait_device_empty(page)
    assert device_holds(page)["visits"] == []
    assert page.problems == []
    context.close()


def test_a_conflict_that_is_gone_is_sent_again_with_try_again_and_arrives_once(
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
    fill_visit(page, categories[:2])
    page.get_by_role("button", name="Huisbezoek opslaan").click()
    assert waiting_count(page) == "Wacht op versturen: 1"
    corporation = household.corporation
    Household.objects.filter(pk=household.pk).update(corporation=third_corporation)

    context.set_offline(False)
    item = waiting_item(page)
    item.get_by_text("hoort nu bij een andere corporatie").wait_for()
    # The move was a mistake and is undone; the visit was never dropped.
    Household.objects.filter(pk=household.pk).update(corporation=corporation)
    item.get_by_role("button", name="Opnieuw proberen").click()
    page.get_by_test_id("waiting-list").wait_for(state="hidden")
    visit = HomeVisit.objects.get()
    assert Signal.objects.filter(visit=visit).count() == 2
    assert page.get_by_test_id("waiting-count").is_hidden()
    assert device_holds(page)["visits"] == []
    assert page.problems == []
    context.close()
