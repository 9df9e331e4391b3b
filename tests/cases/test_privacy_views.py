"""The privacy pages (issue 7): only the privacy officer reaches the access log, the reports and
the AVG overview and export (403 for other roles, 404 for a household the organisation holds
nothing of, 405 for a wrong method), with a session that passed MFA when MFA is required; the
viewer's filters, keyset pages and query count; the export's files; rectification, erasure,
retention terms and emergency access through their forms."""

import datetime
import json
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, AccessReport, EmergencyAccess, HouseholdEvent, RetentionTerm
from cases.services.consents import consent_record
from cases.services.emergency import emergency_access_open
from cases.services.referrals import referral_send, referral_withdraw
from cases.services.retention import retention_terms_ensure
from partners.models import Notification
from tests.cases.test_referral_views import sent  # noqa: F401 (a fixture)
from tests.factories import MembershipFactory, SignalFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"privacy:{name}", args=args)


def officer_pages(household):
    return [
        url("access_log"),
        url("report_list"),
        url("emergency_list"),
        url("avg_find"),
        url("avg_overview", household.pk),
        url("avg_document", household.pk),
        url("avg_export", household.pk),
        url("rectify", household.pk),
        url("erase", household.pk),
        url("retention"),
    ]


# --- who reaches what ------------------------------------------------------------------------


def test_the_privacy_officer_reaches_every_page(login, privacy_officer, household):
    client = login(privacy_officer)
    for page in officer_pages(household):
        assert client.get(page).status_code == 200, page


@pytest.mark.parametrize("cast", ["corporation_worker", "manager", "admin", "welfare_worker"])
def test_other_roles_are_refused(login, request, household, cast):
    client = login(request.getfixturevalue(cast))
    for page in officer_pages(household):
        assert client.get(page).status_code == 403, page
    assert client.post(url("erase", household.pk), {"confirm": "on"}).status_code == 403
    household.refresh_from_db()
    assert household.anonymised_at is None


@pytest.mark.parametrize("role", ["medewerker", "manager", "beheerder"])
def test_the_retention_terms_and_emergency_pages_have_their_own_roles(
    login, corporation, privacy_officer, role
):
    member = MembershipFactory(organisation=corporation, role=role)
    client = login(member)
    expected_terms = 200 if role == "beheerder" else 403
    expected_emergency = 200 if role == "medewerker" else 403
    assert client.get(url("retention_terms")).status_code == expected_terms
    assert client.get(url("emergency_open")).status_code == expected_emergency
    officer = login(privacy_officer)
    assert officer.get(url("retention_terms")).status_code == 403
    assert officer.get(url("emergency_open")).status_code == 403


def test_a_household_outside_the_organisations_records_is_404(
    login, privacy_officer, other_household, care
):
    client = login(privacy_officer)
    for name in ("avg_overview", "avg_document", "avg_export", "rectify", "erase"):
        assert client.get(url(name, other_household.pk)).status_code == 404, name
    assert not AccessLog.objects.filter(household=other_household).exists()


def test_wrong_methods_are_405(login, privacy_officer, corporation_worker, household):
    client = login(privacy_officer)
    for page in [
        url("access_log"),
        url("avg_overview", household.pk),
        url("avg_export", household.pk),
        url("retention"),
        url("report_list"),
    ]:
        assert client.post(page).status_code == 405, page
    assert client.put(url("erase", household.pk)).status_code == 405
    worker = login(corporation_worker)
    assert worker.delete(url("emergency_open")).status_code == 405


@pytest.fixture
def officer_with_totp(login, privacy_officer):
    TOTP.activate(privacy_officer.user, generate_totp_secret())
    return login(privacy_officer)


def pass_mfa(client):
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time()},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(client.session["_auth_user_id"])
    session.save()


@override_settings(MFA_REQUIRED=True)
def test_with_mfa_required_the_officers_pages_need_a_session_that_passed_mfa(
    officer_with_totp, household
):
    client = officer_with_totp
    response = client.get(url("access_log"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate") + "?next=")
    assert not AccessLog.objects.filter(action="audit").exists()
    pass_mfa(client)
    assert client.get(url("access_log")).status_code == 200
    assert client.get(url("avg_overview", household.pk)).status_code == 200
    assert AccessLog.objects.filter(action="audit").count() == 1


@override_settings(MFA_REQUIRED=True, MFA_FRESH_HOURS=12)
def test_a_code_given_longer_ago_than_mfa_fresh_hours_asks_again(officer_with_totp):
    client = officer_with_totp
    pass_mfa(client)
    session = client.session
    session["account_authentication_methods"][1]["at"] = time.time() - 12 * 3600 - 60
    session.save()
    response = client.get(url("access_log"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate") + "?next=")
    session = client.session
    session["account_authentication_methods"][1]["at"] = time.time() - 11 * 3600
    session.save()
    assert client.get(url("access_log")).status_code == 200


@override_settings(MFA_REQUIRED=True)
def test_a_password_only_session_is_not_enough(officer_with_totp):
    session = officer_with_totp.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time()}]
    session["account_authentication_methods_user"] = session["_auth_user_id"]
    session.save()
    assert officer_with_totp.get(url("report_list")).status_code == 302


# --- the access-log viewer ---------------------------------------------------------------------


@pytest.fixture
def logged(corporation_worker, welfare_worker, household, other_household, outsider):
    """Rows of the corporation's people, of welfare about the corporation's household, and of
    another corporation about its own household (not the corporation's business)."""
    from cases.access.log import log_access

    log_access(actor=corporation_worker, action="view", household=household, obj=household)
    log_access(
        actor=welfare_worker,
        action="view",
        household=household,
        obj=household,
        legal_basis="toestemming",
    )
    log_access(actor=outsider, action="view", household=other_household, obj=other_household)
    return household


def test_the_viewer_shows_the_organisations_households_and_its_own_people(
    login, privacy_officer, logged, corporation_worker, welfare_worker
):
    response = login(privacy_officer).get(url("access_log"))
    entries = response.context["page"].entries
    assert [(e.row.user, e.row.organisation.name) for e in entries] == [
        (welfare_worker.user, "Welzijn Testdorp"),
        (corporation_worker.user, "Woonstichting Testdorp"),
    ]
    html = response.content.decode()
    assert "Sanne Test" in html, "the corporation's own worker by name"
    assert "Fatma Test" not in html, "another organisation's worker by organisation and role"
    assert "Lindelaan 12-a" in html
    audit = AccessLog.objects.get(action="audit")
    assert (audit.user, audit.legal_basis, audit.household) == (
        privacy_officer.user,
        "toezicht",
        None,
    )
    assert audit.detail["households"] == [logged.pk]


def test_the_viewer_filters_by_person_household_period_action_and_basis(
    login, privacy_officer, logged, corporation_worker, welfare_worker
):
    client = login(privacy_officer)

    def users(**query):
        entries = client.get(url("access_log"), query).context["page"].entries
        return [entry.row.user for entry in entries]

    assert users(persoon=corporation_worker.user.pk) == [corporation_worker.user]
    assert users(grondslag="toestemming") == [welfare_worker.user]
    assert users(actie="export") == []
    assert users(adres="9901AB 12-a") == [welfare_worker.user, corporation_worker.user]
    assert users(adres="9901AB 99") == []
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert users(van=tomorrow.isoformat()) == []
    assert len(users(tot=timezone.localdate().isoformat(), actie="view")) == 2
    # An invalid filter is said and left out; the others still apply.
    response = client.get(url("access_log"), {"adres": "Lindelaan", "actie": "view"})
    assert "adres" in response.context["form"].errors
    assert len(response.context["page"].entries) == 2
    audit = AccessLog.objects.filter(action="audit").order_by("pk")[3]
    assert audit.household == logged, "a read filtered to one household names it"


def test_the_viewer_pages_with_a_cursor_and_costs_the_same_for_any_number_of_rows(
    login, privacy_officer, corporation_worker, household, django_assert_num_queries
):
    from cases.access.log import log_access

    client = login(privacy_officer)
    log_access(actor=corporation_worker, action="view", household=household, obj=household)
    client.get(url("access_log"))  # warm the session
    with django_assert_num_queries(10) as one:
        client.get(url("access_log"))
    for _ in range(119):
        log_access(actor=corporation_worker, action="view", household=household, obj=household)
    with django_assert_num_queries(len(one.captured_queries)):
        first = client.get(url("access_log")).context["page"]
    assert len(first.entries) == 50 and first.older
    seen = [entry.row.pk for entry in first.entries]
    cursor = first.older
    while cursor:
        page = client.get(url("access_log"), {"na": cursor}).context["page"]
        seen += [entry.row.pk for entry in page.entries]
        cursor = page.older
    ours = AccessLog.objects.exclude(action="audit").filter(user=corporation_worker.user)
    assert [pk for pk in seen if pk in set(ours.values_list("pk", flat=True))] == list(
        ours.order_by("-at", "-pk").values_list("pk", flat=True)
    )
    assert client.get(url("access_log"), {"na": "geen-cursor"}).status_code == 200


# --- the AVG overview and export -------------------------------------------------------------


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
        {"name": "Anna de Test", "birth_year": 1948, "main_tenant": True}
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
    from tests.cases.test_referrals import agree

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


# --- retention ---------------------------------------------------------------------------------


def test_the_administrator_sets_the_terms_and_a_bad_value_is_said(login, admin):
    retention_terms_ensure()
    client = login(admin)
    form = {
        kind: str(term.months)
        for kind, term in RetentionTerm.objects.in_bulk(field_name="kind").items()
    }
    response = client.post(url("retention_terms"), {**form, "access_log": "3"})
    assert response.status_code == 200
    assert "Kies tussen 12 en 120 maanden." in response.content.decode()
    assert RetentionTerm.objects.get(kind="access_log").months == 60
    response = client.post(url("retention_terms"), {**form, "signals": "36"})
    assert response.status_code == 302
    assert RetentionTerm.objects.get(kind="signals").updated_by == admin.user


# --- reports and emergency accesses for the officer -------------------------------------------


def test_the_officer_reads_the_reports_of_the_own_organisation_only(
    login, privacy_officer, corporation, third_corporation, corporation_worker, household
):
    mine = AccessReport.objects.create(
        organisation=corporation,
        day=timezone.localdate(),
        findings=[
            {
                "kind": "no_relation",
                "user": corporation_worker.user_id,
                "organisation": corporation.pk,
                "household": household.pk,
                "corporation": corporation.pk,
            }
        ],
    )
    theirs = AccessReport.objects.create(organisation=third_corporation, day=timezone.localdate())
    client = login(privacy_officer)
    assert mine in client.get(url("report_list")).context["reports"]
    page = client.get(url("report_detail", mine.pk)).content.decode()
    assert "Sanne Test" in page and "Lindelaan 12-a" in page
    assert client.get(url("report_detail", theirs.pk)).status_code == 404
    assert AccessLog.objects.get(action="audit").detail["households"] == [household.pk]


# --- emergency access for the worker ---------------------------------------------------------


def test_a_worker_opens_a_household_in_an_emergency_and_sees_it_for_the_window(
    login, care_worker, household, privacy_officer, django_capture_on_commit_callbacks
):
    client = login(care_worker)
    form = {"adres": "9901AB 12a", "reason": "Kort"}
    response = client.post(url("emergency_open"), form)
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert "Kort" in response.content.decode(), "what was typed stays"
    response = client.post(
        url("emergency_open"), {**form, "adres": "9901AB 99", "reason": "x" * 25}
    )
    assert "Er is geen noodtoegang geopend voor dit adres." in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("emergency_open"), {**form, "reason": "Buren horen al twee dagen niets."}
        )
    access = EmergencyAccess.objects.get()
    assert response["Location"] == url("emergency_detail", access.pk)
    assert Notification.objects.get(kind="emergency_access").recipient == privacy_officer.user
    page = client.get(url("emergency_detail", access.pk))
    assert "Anna de Test" in page.content.decode()
    assert AccessLog.objects.filter(action="view", legal_basis="noodtoegang").count() == 1
    EmergencyAccess.objects.filter(pk=access.pk).update(ends_at=timezone.now())
    page = client.get(url("emergency_detail", access.pk)).content.decode()
    assert "Anna de Test" not in page and 'data-testid="emergency-ended"' in page
    colleague = MembershipFactory(organisation=care_worker.organisation, role="medewerker")
    assert login(colleague).get(url("emergency_detail", access.pk)).status_code == 404


def test_the_officer_sees_the_emergency_accesses_with_their_reasons(
    login, privacy_officer, care_worker, household
):
    emergency_access_open(
        actor=care_worker, household=household, reason="Brandweer vraagt om de bewoners."
    )
    response = login(privacy_officer).get(url("emergency_list"))
    html = response.content.decode()
    assert "Brandweer vraagt om de bewoners." in html and "Lindelaan 12-a" in html
    assert "Daan Test" not in html, "care's worker shows as care's, by role"
    assert AccessLog.objects.filter(action="audit").count() == 1
