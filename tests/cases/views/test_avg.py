"""The AVG pages for the privacy officer: finding a household, its overview, document and JSON
export (each logged), rectification and erasure through their forms."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, HouseholdEvent
from cases.services.consents import consent_record
from cases.services.referrals import referral_send, referral_withdraw
from tests.factories import SignalFactory, agree

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"privacy:{name}", args=args)


def test_find_a_household_by_its_address(login, privacy_officer, household, other_household):
    client = login(privacy_officer)
    response = client.get(url("avg_find"), {"adres": "9901 ab 12a"})
    assert response.status_code == 302 and response["Location"] == url("avg_overview", household.pk)
    response = client.get(url("avg_find"), {"adres": f"9901AB {other_household.house_number}"})
    assert "houdt geen gegevens" in response.content.decode()
    response = client.get(url("avg_find"), {"adres": "Lindelaan"})
    assert response.context["form"].errors["adres"]
    assert "Lindelaan" in response.content.decode(), "what was typed stays"
    searches = AccessLog.objects.filter(action="search").order_by("pk")
    assert [(s.legal_basis, s.household_id) for s in searches] == [
        ("avg_verzoek", household.pk),
        ("geen", None),
    ]


def test_the_page_the_document_and_the_json_file_are_each_logged(
    login, privacy_officer, household, corporation_worker
):
    SignalFactory(household=household, description="Zorgen om de trap")
    client = login(privacy_officer)
    page = client.get(url("avg_overview", household.pk))
    assert "Zorgen om de trap" in page.content.decode()
    document = client.get(url("avg_document", household.pk))
    html = document.content.decode()
    assert "Zorgen om de trap" in html and "data-print" in html
    export = client.get(url("avg_export", household.pk))
    assert export["Content-Type"].startswith("application/json")
    assert export["Content-Disposition"].startswith(
        f'attachment; filename="avg-overzicht-huishouden-{household.pk}-'
    )
    data = json.loads(export.content)
    assert data["household"] == household.pk
    assert [s["key"] for s in data["sections"]][:4] == [
        "household",
        "residents",
        "visits",
        "signals",
    ]
    assert data["sections"][1]["rows"] == [
        {"name": "Anna de Test", "birth_year": 1948, "main_tenant": True, "co_tenant": False}
    ]
    rows = AccessLog.objects.filter(household=household).order_by("pk")
    assert [(r.action, r.detail["avg"], r.legal_basis) for r in rows] == [
        ("view", "page", "avg_verzoek"),
        ("export", "html", "avg_verzoek"),
        ("export", "json", "avg_verzoek"),
    ]


def test_a_section_shows_a_hundred_rows_and_says_how_many_more(
    login, privacy_officer, household, corporation_worker
):
    for _ in range(105):
        SignalFactory(household=household)
    response = login(privacy_officer).get(url("avg_overview", household.pk))
    signals = next(s for s in response.context["overview"].sections if s.key == "signals")
    assert (len(signals.rows), signals.more) == (100, 5)
    assert "En nog 5 in het document en het JSON-bestand." in response.content.decode()


def test_who_accessed_the_household_is_given_per_day_without_names(
    login, privacy_officer, household, corporation_worker
):
    from cases.access.log import log_access

    for _ in range(3):
        log_access(actor=corporation_worker, action="view", household=household, obj=household)
    data = json.loads(login(privacy_officer).get(url("avg_export", household.pk)).content)
    accesses = next(s for s in data["sections"] if s["key"] == "accesses")
    assert accesses["rows"] == [
        {
            "day": timezone.localdate().isoformat(),
            "organisation": "Woonstichting Testdorp",
            "role": "medewerker",
            "action": "bekeken",
            "legal_basis": "eigen huurder (huurovereenkomst)",
            "times": 3,
        }
    ]
    assert "Sanne Test" not in json.dumps(accesses)


@pytest.mark.usefixtures("sent")
def test_a_household_shown_in_a_search_or_list_is_found_in_its_overview_and_the_viewer(
    login, privacy_officer, household, corporation_worker, welfare_worker
):
    """A partner's inbox and the corporation's own search each count as access to the
    household: its AVG overview and the viewer's household filter show them (ADR 0006)."""
    login(welfare_worker).get(reverse("referrals:inbox"))
    login(corporation_worker).get(reverse("cases:household_list"), {"q": "Lindelaan"})
    officer = login(privacy_officer)
    data = json.loads(officer.get(url("avg_export", household.pk)).content)
    accesses = next(s for s in data["sections"] if s["key"] == "accesses")
    searched = {
        (row["organisation"], row["legal_basis"])
        for row in accesses["rows"]
        if row["action"] == "gezocht"
    }
    assert searched == {
        ("Welzijn Testdorp", "toestemming"),
        ("Woonstichting Testdorp", "eigen huurder (huurovereenkomst)"),
    }
    entries = officer.get(url("access_log"), {"adres": "9901AB 12-a", "actie": "search"})
    rows = [entry.row for entry in entries.context["page"].entries]
    assert {(row.user, row.household) for row in rows} == {
        (welfare_worker.user, household),
        (corporation_worker.user, household),
    }


def test_correcting_data_through_the_form(login, privacy_officer, household):
    anna = household.residents.get()
    client = login(privacy_officer)
    form = {
        "phone": "bel me",
        "email": "",
        f"r{anna.pk}_name": "Anna de Tester",
        f"r{anna.pk}_birth_year": "1948",
        "reason": "",
    }
    response = client.post(url("rectify", household.pk), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anna de Tester" in html and "bel me" in html, "what was typed stays"
    assert not HouseholdEvent.objects.filter(kind="data_corrected").exists()
    form.update(phone="06 3333 4444", reason="Verzoek van de bewoner")
    response = client.post(url("rectify", household.pk), form)
    assert response.status_code == 302
    event = HouseholdEvent.objects.get(kind="data_corrected")
    assert event.data["changes"]["phone"] == ["", "06 3333 4444"]


def test_erasing_through_the_form_and_its_refusal(
    login, privacy_officer, household, corporation, welfare, corporation_worker, categories
):
    agree(corporation, welfare, categories[0])
    consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose="Contact",
        categories=[categories[0]],
        given_how="mondeling",
        given_on=timezone.localdate(),
    )
    signal = SignalFactory(household=household, category=categories[0])
    referral = referral_send(
        actor=corporation_worker, household=household, to_organisation=welfare, signals=[signal]
    )
    client = login(privacy_officer)
    page = client.get(url("erase", household.pk)).content.decode()
    assert "loopt nog" in page and 'data-testid="erase-form"' not in page
    response = client.post(
        url("erase", household.pk),
        {"received_on": timezone.localdate().isoformat(), "confirm": "on"},
    )
    assert response.status_code == 200 and "loopt nog" in response.content.decode()
    referral_withdraw(actor=corporation_worker, referral=referral)
    response = client.post(url("erase", household.pk), {"received_on": "", "confirm": ""})
    assert response.context["form"].errors.keys() == {"received_on", "confirm"}
    response = client.post(
        url("erase", household.pk),
        {"received_on": timezone.localdate().isoformat(), "confirm": "on"},
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.anonymised_at and household.residents.get().name == ""


def test_the_history_reads_statuses_in_dutch_words_not_codes(login, privacy_officer, privacy_world):
    client = login(privacy_officer)
    for page in ("avg_overview", "avg_document"):
        html = client.get(url(page, privacy_world.household.pk)).content.decode()
        assert "doorverwezen → in behandeling" in html, page
        assert "in_behandeling" not in html, page
