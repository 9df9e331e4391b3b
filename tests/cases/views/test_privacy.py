"""The privacy pages (issue 7): only the privacy officer reaches the access log, the reports and
the AVG overview and export (403 for other roles, 404 for a household the organisation holds
nothing of, 405 for a wrong method), with a session that passed MFA when MFA is required; the
viewer's filters, keyset pages and query count; the reports and the emergency accesses."""

import datetime
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, AccessReport
from cases.services.emergency import emergency_access_open
from tests.factories import MembershipFactory

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
    assert officer.get(url("retention_terms")).status_code == 200, "its own organisation's"
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
