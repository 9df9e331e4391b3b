"""The daily report of unusual access (issue 7, ADR 0010): many more households than usual, a
household opened without an open relation, emergency access; to the privacy officers of the
person's organisation and of the household's corporation; safe to run twice."""

import datetime

import pytest
from django.utils import timezone

from cases.models import AccessLog, AccessReport, EmergencyAccess
from cases.services.access_reports import access_findings, access_reports_daily
from cases.services.emergency import emergency_access_open
from partners.models import Notification
from tests.factories import HouseholdFactory, MembershipFactory, SignalFactory

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def opened(actor, households, day, action="view"):
    """Access-log rows of `actor` opening these households on `day`."""
    AccessLog.objects.bulk_create(
        AccessLog(
            at=at(day),
            user_id=actor.user_id,
            role=actor.role,
            organisation_id=actor.organisation_id,
            household=household,
            household_corporation_id=household.corporation_id,
            action=action,
            legal_basis="eigen_huurder",
        )
        for household in households
    )


@pytest.fixture
def many(corporation, neighbourhood):
    households = [
        HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood) for _ in range(40)
    ]
    for household in households:  # all busy: opening them is no "no relation" finding
        SignalFactory(household=household)
    return households


def test_a_person_opening_many_more_households_than_usual_is_reported(
    corporation_worker, corporation, many, privacy_officer
):
    steady = MembershipFactory(organisation=corporation, role="medewerker")
    for days_ago in range(2, 32):
        day = YESTERDAY - datetime.timedelta(days=days_ago - 1)
        opened(corporation_worker, many[:2], day)  # usually two a day
        opened(steady, many[:10], day)  # usually ten a day
    opened(corporation_worker, many[:25], YESTERDAY)
    opened(steady, many[:25], YESTERDAY)  # 25 is not more than three times ten
    findings = access_findings(day=YESTERDAY)[corporation.pk]
    assert findings == [
        {
            "kind": "many_households",
            "user": corporation_worker.user_id,
            "organisation": corporation.pk,
            "household": None,
            "count": 25,
            "usual": 2,
        }
    ]


def test_under_the_minimum_nobody_is_reported_however_quiet_they_usually_are(
    corporation_worker, many
):
    opened(corporation_worker, many[:20], YESTERDAY)
    assert access_findings(day=YESTERDAY) == {}


def test_a_household_opened_without_an_open_relation_is_reported_to_both_sides(
    corporation, welfare, corporation_worker, welfare_worker, household, neighbourhood
):
    quiet = HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood)
    busy = HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood)
    SignalFactory(household=busy)
    opened(corporation_worker, [quiet, busy], YESTERDAY)
    opened(welfare_worker, [household], YESTERDAY)  # no open referral to welfare
    findings = access_findings(day=YESTERDAY)
    quiet_finding = {
        "kind": "no_relation",
        "user": corporation_worker.user_id,
        "organisation": corporation.pk,
        "household": quiet.pk,
        "corporation": corporation.pk,
    }
    welfare_finding = {
        "kind": "no_relation",
        "user": welfare_worker.user_id,
        "organisation": welfare.pk,
        "household": household.pk,
        "corporation": corporation.pk,
    }
    assert sorted(findings[corporation.pk], key=str) == sorted(
        [quiet_finding, welfare_finding], key=str
    )
    assert findings[welfare.pk] == [welfare_finding]


def test_emergency_access_is_reported_with_the_report_and_the_run_twice_adds_nothing(
    care_worker, care, other_household, third_corporation, django_capture_on_commit_callbacks
):
    care_officer = MembershipFactory(organisation=care, role="privacyfunctionaris")
    owner_officer = MembershipFactory(organisation=third_corporation, role="privacyfunctionaris")
    access = emergency_access_open(
        actor=care_worker, household=other_household, reason="Buurman belt: rook uit de woning."
    )
    EmergencyAccess.objects.filter(pk=access.pk).update(
        started_at=at(YESTERDAY, 23), ends_at=at(YESTERDAY, 23) + datetime.timedelta(hours=24)
    )
    with django_capture_on_commit_callbacks(execute=True):
        reports = access_reports_daily()
    assert {(r.organisation, r.day) for r in reports} == {
        (care, YESTERDAY),
        (third_corporation, YESTERDAY),
    }
    for report in reports:
        assert [f["kind"] for f in report.findings] == ["emergency"]
        assert report.findings[0]["emergency"] == access.pk
    notified = Notification.objects.filter(kind="access_report")
    assert {(n.recipient, n.organisation) for n in notified} == {
        (care_officer.user, care),
        (owner_officer.user, third_corporation),
    }
    assert all(n.data["count"] == 1 for n in notified)
    with django_capture_on_commit_callbacks(execute=True):
        again = access_reports_daily()
    assert {r.pk for r in again} == {r.pk for r in reports}
    assert AccessReport.objects.count() == 2
    assert Notification.objects.filter(kind="access_report").count() == 2


def test_a_quiet_day_has_no_report(corporation_worker, household):
    SignalFactory(household=household)
    opened(corporation_worker, [household], YESTERDAY)
    assert access_reports_daily() == []
