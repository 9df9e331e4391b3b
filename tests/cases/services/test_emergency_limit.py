"""The emergency limit (issue 15, ADR 0018): a person opens at most EMERGENCY_ACCESS_LIMIT
households in an emergency per EMERGENCY_ACCESS_PERIOD_DAYS, whichever organisation they act
for; past it nothing opens and a request waits for a privacy officer of their organisation."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from cases.models import AccessLog, EmergencyAccess, EmergencyAccessRequest, Household
from cases.selectors.emergency import emergency_allowance
from cases.services.emergency import emergency_access_open
from partners.models import Notification
from tests.factories import (
    EMERGENCY_REASON,
    HouseholdFactory,
    MembershipFactory,
    in_emergency,
    received,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_and_the_limit(settings):
    settings.EMERGENCY_ACCESS_LIMIT = 3
    settings.EMERGENCY_ACCESS_PERIOD_DAYS = 7
    with translation.override("en"):
        yield


def test_under_the_limit_each_emergency_access_opens(care_worker, third_corporation):
    opened = in_emergency(care_worker, third_corporation, 3)
    assert all(isinstance(each, EmergencyAccess) for each in opened)
    assert emergency_allowance(user_id=care_worker.user_id).left == 0
    assert not EmergencyAccessRequest.objects.exists()


def test_past_the_limit_nothing_opens_and_the_request_waits_for_the_officers(
    care_worker, care, third_corporation, settings
):
    care_officer = MembershipFactory(organisation=care, role="privacyfunctionaris")
    owner_officer = MembershipFactory(organisation=third_corporation, role="privacyfunctionaris")
    in_emergency(care_worker, third_corporation, 3)
    target = HouseholdFactory(corporation=third_corporation)
    asked = emergency_access_open(actor=care_worker, household=target, reason=EMERGENCY_REASON)
    assert isinstance(asked, EmergencyAccessRequest)
    assert (asked.status, asked.user, asked.organisation, asked.reason) == (
        "wacht",
        care_worker.user,
        care,
        EMERGENCY_REASON,
    )
    assert asked.expires_at - asked.requested_at == datetime.timedelta(
        hours=settings.EMERGENCY_REQUEST_HOURS
    )
    assert EmergencyAccess.objects.count() == 3
    assert not EmergencyAccess.objects.filter(household=target).exists()
    assert not Household.objects.visible_to(care_worker).filter(pk=target.pk).exists()
    assert not Household.objects.in_emergency_for(care_worker).filter(pk=target.pk).exists()
    assert not AccessLog.objects.filter(household=target, action="emergency").exists()
    told = received(care_officer.user, Notification.Kind.EMERGENCY_REQUEST).get()
    assert told.data == {"emergency_request": asked.pk, "organisation": care.name}
    assert told.url == f"/privacy/noodtoegang/verzoek/{asked.pk}/"
    assert not received(owner_officer.user, Notification.Kind.EMERGENCY_REQUEST).exists()


def test_the_limit_counts_the_person_whichever_organisation_they_act_for(
    shared_worker, third_corporation
):
    first, second = shared_worker.user.memberships.exclude(pk=shared_worker.pk)
    in_emergency(shared_worker, third_corporation, 1)
    in_emergency(first, third_corporation, 2)
    [asked] = in_emergency(second, third_corporation, 1)
    assert isinstance(asked, EmergencyAccessRequest)
    assert asked.organisation_id == second.organisation_id
    colleague = MembershipFactory(organisation=shared_worker.organisation, role="medewerker")
    [own] = in_emergency(colleague, third_corporation, 1)
    assert isinstance(own, EmergencyAccess), "a colleague has a limit of their own"


def test_the_period_rolls_an_access_older_than_the_period_no_longer_counts(
    care_worker, third_corporation
):
    oldest, *_rest = in_emergency(care_worker, third_corporation, 3)
    assert isinstance(in_emergency(care_worker, third_corporation, 1)[0], EmergencyAccessRequest)
    started = timezone.now() - datetime.timedelta(days=7, minutes=1)
    EmergencyAccess.objects.filter(pk=oldest.pk).update(
        started_at=started, ends_at=started + datetime.timedelta(hours=24)
    )
    assert emergency_allowance(user_id=care_worker.user_id).left == 1
    [opened] = in_emergency(care_worker, third_corporation, 1)
    assert isinstance(opened, EmergencyAccess)


def test_a_limit_of_zero_asks_approval_for_every_emergency_access(
    care_worker, third_corporation, settings
):
    settings.EMERGENCY_ACCESS_LIMIT = 0
    [asked] = in_emergency(care_worker, third_corporation, 1)
    assert isinstance(asked, EmergencyAccessRequest)
    assert not EmergencyAccess.objects.exists()


def test_asking_twice_for_the_same_household_is_refused_while_the_first_waits(
    care_worker, third_corporation
):
    in_emergency(care_worker, third_corporation, 3)
    target = HouseholdFactory(corporation=third_corporation)
    emergency_access_open(actor=care_worker, household=target, reason=EMERGENCY_REASON)
    with pytest.raises(ValidationError) as refused:
        emergency_access_open(actor=care_worker, household=target, reason=EMERGENCY_REASON)
    assert "You asked for emergency access to this household already" in str(refused.value)
    assert EmergencyAccessRequest.objects.count() == 1
    EmergencyAccessRequest.objects.update(expires_at=timezone.now())
    again = emergency_access_open(actor=care_worker, household=target, reason=EMERGENCY_REASON)
    assert isinstance(again, EmergencyAccessRequest), "an expired request may be asked again"


def test_asking_again_through_another_organisation_is_no_second_chance(
    shared_worker, third_corporation
):
    """A samenlevingsondersteuner past the limit asks through one organisation: through
    another the same household waits on that request, not on a more lenient officer."""
    first, second = shared_worker.user.memberships.exclude(pk=shared_worker.pk)
    in_emergency(shared_worker, third_corporation, 3)
    target = HouseholdFactory(corporation=third_corporation)
    emergency_access_open(actor=first, household=target, reason=EMERGENCY_REASON)
    with pytest.raises(ValidationError, match="asked for emergency access to this household"):
        emergency_access_open(actor=second, household=target, reason=EMERGENCY_REASON)
    assert EmergencyAccessRequest.objects.count() == 1


def test_after_a_refusal_the_worker_does_not_ask_again_within_the_period(
    shared_worker, third_corporation, settings
):
    from cases.services.emergency import emergency_request_refuse

    first, second = shared_worker.user.memberships.exclude(pk=shared_worker.pk)
    in_emergency(shared_worker, third_corporation, 3)
    target = HouseholdFactory(corporation=third_corporation)
    asked = emergency_access_open(actor=first, household=target, reason=EMERGENCY_REASON)
    officer = MembershipFactory(organisation=first.organisation, role="privacyfunctionaris")
    emergency_request_refuse(actor=officer, request=asked, reason="Eerst de wijkagent bellen")
    for membership in (first, second):
        with pytest.raises(ValidationError, match="refused your emergency access"):
            emergency_access_open(actor=membership, household=target, reason=EMERGENCY_REASON)
    # Even once the period has rolled for the limit, the refusal holds for its own period; after
    # it, the worker may ask again.
    EmergencyAccess.objects.update(started_at=timezone.now() - datetime.timedelta(days=8))
    with pytest.raises(ValidationError, match="refused your emergency access"):
        emergency_access_open(actor=second, household=target, reason=EMERGENCY_REASON)
    EmergencyAccessRequest.objects.update(
        decided_at=timezone.now() - datetime.timedelta(days=8),
        requested_at=timezone.now() - datetime.timedelta(days=8, hours=1),
        expires_at=timezone.now() - datetime.timedelta(days=7),
    )
    assert emergency_access_open(actor=second, household=target, reason=EMERGENCY_REASON)


@pytest.mark.django_db(transaction=True)
def test_two_emergency_accesses_at_once_do_not_both_pass_the_limit(care, third_corporation):
    for _round in range(5):
        worker = MembershipFactory(organisation=care, role="medewerker")
        in_emergency(worker, third_corporation, 2)
        targets = [HouseholdFactory(corporation=third_corporation) for _ in range(2)]
        barrier = threading.Barrier(2)
        results = []

        def open_one(household, barrier=barrier, results=results, worker=worker):
            try:
                barrier.wait()
                results.append(
                    type(
                        emergency_access_open(
                            actor=worker, household=household, reason=EMERGENCY_REASON
                        )
                    ).__name__
                )
            finally:
                connection.close()

        threads = [threading.Thread(target=open_one, args=(h,)) for h in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == ["EmergencyAccess", "EmergencyAccessRequest"], results
        assert EmergencyAccess.objects.filter(user=worker.user).count() == 3
