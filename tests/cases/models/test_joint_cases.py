"""JointCase.objects.visible_to: participants only, while they see the household."""

import pytest
from django.utils import timezone, translation

from cases.models import JointCase
from cases.services import joint_cases as services
from cases.services.consents import consent_withdraw
from tests.factories import consent_given

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Services called directly speak the message ids; the pages speak Dutch per request."""
    with translation.override("en"):
        yield


def today():
    return timezone.localdate()


def test_visible_to_participants_only_while_they_see_the_household(
    full_case, corporation_worker, welfare_worker, care_worker, outsider, welfare_referral
):
    for ids_first in (False, True):  # the shared households read first, as lists do
        for actor in (corporation_worker, welfare_worker, care_worker):
            assert list(JointCase.objects.visible_to(actor, ids_first=ids_first)) == [full_case]
        assert not JointCase.objects.visible_to(outsider, ids_first=ids_first).exists()
        assert not JointCase.objects.visible_to(None, ids_first=ids_first).exists()
    # Welfare's consent withdrawn: its referral no longer shares the household, nor the case.
    consent_withdraw(
        actor=corporation_worker, consent=welfare_referral.consent, withdrawn_on=today()
    )
    for ids_first in (False, True):
        assert not JointCase.objects.visible_to(welfare_worker, ids_first=ids_first).exists()
        assert JointCase.objects.visible_to(care_worker, ids_first=ids_first).exists()


def test_a_participant_on_consent_sees_the_case_until_the_consent_is_withdrawn(
    case, corporation_worker, household, care, care_worker, lonely
):
    from cases.access.log import log_access
    from cases.models import Household, JointCase

    consent = consent_given(corporation_worker, household, care, [lonely])
    services.case_add_participant(actor=corporation_worker, case=case, organisation=care)
    assert Household.objects.visible_to(care_worker).filter(pk=household.pk).exists()
    assert JointCase.objects.visible_to(care_worker).filter(pk=case.pk).exists()
    row = log_access(actor=care_worker, action="view", household=household, obj=case)
    assert row.legal_basis == "toestemming"
    consent_withdraw(actor=corporation_worker, consent=consent, withdrawn_on=today())
    assert not Household.objects.visible_to(care_worker).filter(pk=household.pk).exists()
    assert not JointCase.objects.visible_to(care_worker).filter(pk=case.pk).exists()
