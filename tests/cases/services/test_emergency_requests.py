"""A request past the emergency limit (issue 15, ADR 0018): a privacy officer of the worker's
organisation approves it (it opens from then, logged and told) or refuses it with a reason;
nobody else decides, it is decided once, it expires; erasure empties its texts; the weekly
notification tells each organisation's officers once."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from cases.models import AccessLog, EmergencyAccess, EmergencyAccessRequest, Household
from cases.services.avg import household_erase
from cases.services.emergency import (
    emergency_request_approve,
    emergency_request_refuse,
    emergency_weeks_notify,
)
from partners.models import Notification
from tests.factories import MembershipFactory, in_emergency, received

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture(autouse=True)
def _english_and_the_limit(settings):
    settings.EMERGENCY_ACCESS_LIMIT = 1
    with translation.override("en"):
        yield


@pytest.fixture
def care_officer(care):
    return MembershipFactory(organisation=care, role="privacyfunctionaris", user__name="Iris Zorg")


@pytest.fixture
def asked(care_worker, third_corporation):
    """The care worker's second emergency access: past the limit of one, a request."""
    _opened, request = in_emergency(care_worker, third_corporation, 2)
    assert isinstance(request, EmergencyAccessRequest)
    return request


def test_approval_opens_the_household_from_then_logs_it_and_tells_the_worker(
    asked, care_officer, care_worker, third_corporation, settings
):
    owner_officer = MembershipFactory(organisation=third_corporation, role="privacyfunctionaris")
    EmergencyAccessRequest.objects.filter(pk=asked.pk).update(
        requested_at=timezone.now() - datetime.timedelta(hours=2)
    )
    before = timezone.now()
    access = emergency_request_approve(actor=care_officer, request=asked)
    assert access.started_at >= before, "the window starts at the approval, not the request"
    assert access.ends_at - access.started_at == datetime.timedelta(
        hours=settings.EMERGENCY_ACCESS_HOURS
    )
    assert (access.user, access.organisation, access.reason) == (
        care_worker.user,
        care_worker.organisation,
        asked.reason,
    )
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by, asked.access) == (
        "goedgekeurd",
        care_officer.user,
        access,
    )
    row = AccessLog.objects.get(action="emergency", household=asked.household)
    assert (row.user, row.legal_basis, row.detail) == (
        care_worker.user,
        "noodtoegang",
        {"approved_by": care_officer.user_id},
    )
    told = received(care_worker.user, Kind.EMERGENCY_APPROVED).get()
    assert told.url == f"/noodtoegang/{access.pk}/"
    assert received(owner_officer.user, Kind.EMERGENCY_ACCESS).get().data == {
        "emergency_access": access.pk,
        "organisation": care_worker.organisation.name,
    }
    household = asked.household
    assert Household.objects.in_emergency_for(care_worker).filter(pk=household.pk).exists()
    assert not Household.objects.visible_to(care_worker).filter(pk=household.pk).exists()


def test_refusal_tells_the_worker_why_and_opens_nothing(asked, care_officer, care_worker):
    with pytest.raises(ValidationError) as refused:
        emergency_request_refuse(actor=care_officer, request=asked, reason="  ")
    assert refused.value.message_dict == {
        "reason": ["Give the reason for refusing: the worker reads it."]
    }
    emergency_request_refuse(
        actor=care_officer, request=asked, reason="Bel eerst de wijkagent, dit is geen nood."
    )
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by, asked.access) == ("geweigerd", care_officer.user, None)
    assert asked.refusal_reason == "Bel eerst de wijkagent, dit is geen nood."
    told = received(care_worker.user, Kind.EMERGENCY_REFUSED).get()
    assert told.url == f"/noodtoegang/verzoek/{asked.pk}/"
    assert not EmergencyAccess.objects.filter(household=asked.household).exists()
    assert not Household.objects.in_emergency_for(care_worker).filter(pk=asked.household_id)


def test_only_a_privacy_officer_of_the_workers_organisation_decides(
    asked, care_worker, third_corporation, welfare
):
    others = [
        MembershipFactory(organisation=third_corporation, role="privacyfunctionaris"),
        MembershipFactory(organisation=welfare, role="privacyfunctionaris"),
        care_worker,
        MembershipFactory(organisation=care_worker.organisation, role="manager"),
    ]
    for actor in others:
        for decide in (
            lambda actor=actor: emergency_request_approve(actor=actor, request=asked),
            lambda actor=actor: emergency_request_refuse(
                actor=actor, request=asked, reason="Geen nood."
            ),
        ):
            with pytest.raises(ValidationError) as refused:
                decide()
            assert "Only a privacy officer of the worker's organisation" in str(refused.value)
    asked.refresh_from_db()
    assert asked.status == "wacht"
    assert not EmergencyAccess.objects.filter(household=asked.household).exists()


def test_a_request_is_decided_once(asked, care_officer, care):
    colleague = MembershipFactory(organisation=care, role="privacyfunctionaris")
    emergency_request_approve(actor=care_officer, request=asked)
    for decide in (
        lambda: emergency_request_approve(actor=colleague, request=asked),
        lambda: emergency_request_refuse(actor=colleague, request=asked, reason="Toch niet."),
    ):
        with pytest.raises(ValidationError) as refused:
            decide()
        assert "Iris Zorg approved this request already." in refused.value.messages
    assert EmergencyAccess.objects.filter(household=asked.household).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_approving_at_once_open_it_once(care, care_worker, third_corporation):
    officers = [MembershipFactory(organisation=care, role="privacyfunctionaris") for _ in "ab"]
    in_emergency(care_worker, third_corporation, 1)
    for _round in range(5):
        [request] = in_emergency(care_worker, third_corporation, 1)
        barrier = threading.Barrier(2)
        results = []

        def approve(officer, request=request, barrier=barrier, results=results):
            try:
                with translation.override("en"):
                    barrier.wait()
                    emergency_request_approve(actor=officer, request=request)
                results.append("opened")
            except ValidationError as error:
                results.append(" ".join(error.messages))
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                results.append(repr(error))
            finally:
                connection.close()

        threads = [threading.Thread(target=approve, args=(o,)) for o in officers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results)[1] == "opened", results
        assert "approved this request already" in sorted(results)[0], results
        assert EmergencyAccess.objects.filter(household=request.household).count() == 1


def test_an_expired_request_cannot_be_decided(asked, care_officer):
    EmergencyAccessRequest.objects.filter(pk=asked.pk).update(expires_at=timezone.now())
    asked.refresh_from_db()
    assert asked.is_expired and not asked.is_waiting
    with pytest.raises(ValidationError) as refused:
        emergency_request_approve(actor=care_officer, request=asked)
    assert "This request expired on" in str(refused.value)
    assert not EmergencyAccess.objects.filter(household=asked.household).exists()


def test_erasure_empties_the_texts_of_requests(asked, care_officer, third_corporation):
    emergency_request_refuse(actor=care_officer, request=asked, reason="Geen noodsituatie hier.")
    owner_officer = MembershipFactory(organisation=third_corporation, role="privacyfunctionaris")
    household_erase(
        actor=owner_officer, household=asked.household, received_on=timezone.localdate()
    )
    asked.refresh_from_db()
    assert (asked.reason, asked.refusal_reason, asked.status) == ("", "", "geweigerd")


def test_the_weekly_notification_tells_each_organisations_officers_once(
    asked, care_officer, care, third_corporation, welfare
):
    welfare_officer = MembershipFactory(organisation=welfare, role="privacyfunctionaris")
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    assert emergency_weeks_notify(day=next_week) == 1
    assert emergency_weeks_notify(day=next_week) == 0, "a second run tells nobody twice"
    told = received(care_officer.user, Kind.EMERGENCY_WEEK).get()
    year, week, _day = timezone.localdate().isocalendar()
    assert told.data == {"week": f"{year}-W{week:02d}", "count": 2}, "an access and a request"
    assert told.url == f"/privacy/noodtoegang/overzicht/?week={year}-W{week:02d}"
    assert not received(welfare_officer.user, Kind.EMERGENCY_WEEK).exists()
    assert emergency_weeks_notify(day=timezone.localdate()) == 0, "last week had nothing"
