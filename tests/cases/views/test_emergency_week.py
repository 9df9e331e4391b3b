"""The privacy officer's weekly overview of emergency access (issue 15, ADR 0018): who of the
organisation opened which household, with the reason, and the requests past the limit with who
decided them; only the organisation's own people; a week filter; one audit row; a query count
that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, EmergencyAccess
from cases.services.emergency import (
    emergency_request_approve,
    emergency_request_refuse,
    week_code,
)
from tests.factories import MembershipFactory, in_emergency

pytestmark = pytest.mark.django_db
URL = reverse("privacy:emergency_week")
WELFARE_REASON = "Fragment-welzijn-reden: de buurvrouw hoorde hulpgeroep."


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.EMERGENCY_ACCESS_LIMIT = 1


@pytest.fixture
def care_officer(care):
    return MembershipFactory(organisation=care, role="privacyfunctionaris", user__name="Iris Zorg")


@pytest.fixture
def week_of_care(care_worker, care_officer, welfare_worker, third_corporation):
    """Care's worker: one access, one request approved, one refused. Welfare's worker: one
    access, not care's to see."""
    opened, approved, refused = in_emergency(care_worker, third_corporation, 3)
    emergency_request_approve(actor=care_officer, request=approved)
    emergency_request_refuse(actor=care_officer, request=refused, reason="Bel de wijkagent.")
    in_emergency(welfare_worker, third_corporation, 1, reason=WELFARE_REASON)
    approved.refresh_from_db()
    return opened, approved, refused


def test_the_week_shows_who_of_the_organisation_opened_what_and_who_decided(
    week_of_care, login, care_officer
):
    opened, approved, refused = week_of_care
    response = login(care_officer).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    week = response.context["week"]
    assert [entry.access.pk for entry in week.accesses] == [opened.pk, approved.access_id]
    assert [entry.request.pk for entry in week.requests] == [approved.pk, refused.pk]
    [person] = week.people
    assert (person.person, person.accesses, person.approved, person.refused) == (
        "Daan Test",
        2,
        1,
        1,
    )
    assert "boven de limiet, goedgekeurd door Iris Zorg" in html
    assert "geweigerd door Iris Zorg" in html and "Bel de wijkagent." in html
    assert opened.reason in html
    assert "Fatma Test" not in html and WELFARE_REASON not in html, "only care's own people"
    audit = AccessLog.objects.get(action="audit", user=care_officer.user)
    assert audit.detail["households"] == sorted(
        {opened.household_id, approved.household_id, refused.household_id}
    )


def test_the_week_filter_shows_an_earlier_week(week_of_care, login, care_officer):
    opened, _approved, _refused = week_of_care
    earlier = timezone.now() - datetime.timedelta(days=7)
    EmergencyAccess.objects.filter(pk=opened.pk).update(
        started_at=earlier, ends_at=earlier + datetime.timedelta(hours=24)
    )
    client = login(care_officer)
    this_week = client.get(URL).context["week"]
    assert opened.pk not in [entry.access.pk for entry in this_week.accesses]
    code = week_code(timezone.localdate() - datetime.timedelta(days=7))
    last_week = client.get(URL, {"week": code}).context["week"]
    assert [entry.access.pk for entry in last_week.accesses] == [opened.pk]
    response = client.get(URL, {"week": "2000-W01"})
    assert response.status_code == 200 and response.context["form"].errors["week"]
    assert response.context["week"].start == this_week.start, "an unknown week shows this one"


def test_only_privacy_officers_read_the_week_and_its_queries_do_not_grow(
    login, care_worker, care_officer, third_corporation, care
):
    assert login(care_worker).get(URL).status_code == 403
    manager = MembershipFactory(organisation=care, role="manager")
    assert login(manager).get(URL).status_code == 403
    client = login(care_officer)
    assert client.post(URL).status_code == 405
    in_emergency(care_worker, third_corporation, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(3):
        worker = MembershipFactory(organisation=care, role="medewerker")
        in_emergency(worker, third_corporation, 2)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)
