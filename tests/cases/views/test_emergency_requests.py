"""The pages of the emergency limit (issue 15, ADR 0018): the form tells the worker how many
are left; past the limit the worker waits on a Dutch page and sees nothing of the household;
a privacy officer of the worker's organisation approves or refuses (another organisation's
gets a 404, a worker a 403), once."""

import pytest
from django.urls import reverse

from cases.models import AccessLog, EmergencyAccess, EmergencyAccessRequest, Household
from partners.models import Notification
from tests.factories import MembershipFactory, in_emergency, received

pytestmark = pytest.mark.django_db
FORM = {"adres": "9901AB 12a", "reason": "Buren horen al twee dagen niets; de deur is dicht."}


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.EMERGENCY_ACCESS_LIMIT = 2
    settings.EMERGENCY_ACCESS_PERIOD_DAYS = 7


@pytest.fixture
def care_officer(care):
    return MembershipFactory(organisation=care, role="privacyfunctionaris", user__name="Iris Zorg")


@pytest.fixture
def asked(login, care_worker, third_corporation, household):
    """The care worker opened two households; the third, the corporation's household at 9901AB
    12a, is asked for through the form."""
    in_emergency(care_worker, third_corporation, 2)
    response = login(care_worker).post(reverse("privacy:emergency_open"), FORM)
    request = EmergencyAccessRequest.objects.get()
    assert response["Location"] == reverse("privacy:emergency_request", args=[request.pk])
    return request


def url(name, *args):
    return reverse(f"privacy:{name}", args=args)


def test_the_form_tells_the_worker_how_many_emergency_accesses_are_left(
    login, care_worker, third_corporation
):
    client = login(care_worker)
    html = client.get(url("emergency_open")).content.decode()
    assert "Je mag zelf nog 2 huishoudens openen met noodtoegang (hoogstens 2 in 7 dagen)" in html
    in_emergency(care_worker, third_corporation, 1)
    html = client.get(url("emergency_open")).content.decode()
    assert "Je mag zelf nog 1 huishouden openen met noodtoegang" in html
    in_emergency(care_worker, third_corporation, 1)
    html = client.get(url("emergency_open")).content.decode()
    assert "Je hebt de limiet van 2 noodtoegangen in 7 dagen bereikt." in html
    assert "Toestemming vragen" in html


def test_past_the_limit_the_worker_waits_and_sees_nothing_of_the_household(
    asked, login, care_worker, household
):
    client = login(care_worker)
    page = client.get(url("emergency_request", asked.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-status="wacht"' in html and "Wacht op toestemming" in html
    assert "Bel 112" in html
    assert "Lindelaan" not in html and "Anna de Test" not in html
    assert not EmergencyAccess.objects.filter(household=household).exists()
    assert not Household.objects.visible_to(care_worker).filter(pk=household.pk).exists()
    assert not Household.objects.in_emergency_for(care_worker).filter(pk=household.pk).exists()
    colleague = MembershipFactory(organisation=care_worker.organisation, role="medewerker")
    assert login(colleague).get(url("emergency_request", asked.pk)).status_code == 404


def test_the_officer_approves_and_the_worker_opens_the_household(
    asked, login, care_officer, care_worker, household, django_capture_on_commit_callbacks
):
    officer = login(care_officer)
    page = officer.get(url("emergency_request_decide", asked.pk)).content.decode()
    assert "Daan Test" in page and FORM["reason"] in page
    assert f"huishouden {household.pk}" in page, "the care officer does not see the address"
    audit = AccessLog.objects.get(action="audit", user=care_officer.user)
    assert audit.detail["households"] == [household.pk]
    assert officer.get(url("emergency_list")).context["waiting"][0].request == asked
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(url("emergency_request_approve", asked.pk))
    assert response["Location"] == url("emergency_list")
    access = EmergencyAccess.objects.get(household=household)
    assert received(care_worker.user, Notification.Kind.EMERGENCY_APPROVED).exists()
    worker = login(care_worker)
    html = worker.get(url("emergency_request", asked.pk)).content.decode()
    assert "Goedgekeurd door Iris Zorg" in html
    assert url("emergency_detail", access.pk) in html
    assert "Anna de Test" in worker.get(url("emergency_detail", access.pk)).content.decode()
    listed = login(care_officer).get(url("emergency_list")).content.decode()
    assert "boven de limiet, goedgekeurd door Iris Zorg" in listed


def test_refusing_wants_a_reason_beside_the_field_and_the_worker_reads_it(
    asked, login, care_officer, care_worker
):
    officer = login(care_officer)
    response = officer.post(url("emergency_request_refuse", asked.pk), {"reason": ""})
    assert response.status_code == 200
    assert response.context["refuse_form"].errors["reason"] == [
        "Geef de reden waarom je weigert: de medewerker leest die."
    ]
    asked.refresh_from_db()
    assert asked.status == "wacht"
    response = officer.post(
        url("emergency_request_refuse", asked.pk), {"reason": "Bel eerst de wijkagent."}
    )
    assert response["Location"] == url("emergency_list")
    html = login(care_worker).get(url("emergency_request", asked.pk)).content.decode()
    assert "Geweigerd door Iris Zorg" in html and "Bel eerst de wijkagent." in html
    assert not EmergencyAccess.objects.filter(household=asked.household).exists()


def test_another_organisations_officer_gets_404_and_a_worker_403(
    asked, login, privacy_officer, care_worker
):
    other = login(privacy_officer)  # the household's corporation, not the worker's
    assert other.get(url("emergency_request_decide", asked.pk)).status_code == 404
    assert other.post(url("emergency_request_approve", asked.pk)).status_code == 404
    refuse = other.post(url("emergency_request_refuse", asked.pk), {"reason": "Nee."})
    assert refuse.status_code == 404
    worker = login(care_worker)
    assert worker.get(url("emergency_request_decide", asked.pk)).status_code == 403
    assert worker.post(url("emergency_request_approve", asked.pk)).status_code == 403
    asked.refresh_from_db()
    assert asked.status == "wacht"
    assert not EmergencyAccess.objects.filter(household=asked.household).exists()


def test_a_second_approval_opens_nothing_more_and_says_who_decided(
    asked, login, care_officer, care
):
    login(care_officer).post(url("emergency_request_approve", asked.pk))
    colleague = MembershipFactory(organisation=care, role="privacyfunctionaris")
    client = login(colleague)
    assert client.get(url("emergency_request_approve", asked.pk)).status_code == 405
    response = client.post(url("emergency_request_approve", asked.pk), follow=True)
    assert "Iris Zorg heeft dit verzoek al goedgekeurd." in response.content.decode()
    assert EmergencyAccess.objects.filter(household=asked.household).count() == 1
