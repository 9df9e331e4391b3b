"""An answer to a referral names the version it was made on, compared under the row's lock: of
two answers on one version exactly one is taken, and the other is told what the referral is now
and who changed it, a person or a system (ADR 0024, 0025)."""

import pytest

from cases.access.actors import agent_for_client
from cases.selectors.referrals import referral_changed_by
from cases.services.referrals import (
    ReferralChanged,
    referral_accept,
    referral_decline,
)

pytestmark = pytest.mark.django_db


def test_an_answer_on_an_old_version_is_refused_naming_who(referral, welfare_worker, intake):
    referral_accept(actor=welfare_worker, referral=referral, version=1)
    with pytest.raises(ReferralChanged, match="Fatma Test"):
        referral_decline(actor=intake, referral=referral, reason="Vol", version=1)
    referral.refresh_from_db()
    assert (referral.status, referral.version) == ("geaccepteerd", 2)


def test_without_a_version_the_answer_is_taken_as_before(referral, welfare_worker):
    referral_accept(actor=welfare_worker, referral=referral)
    referral.refresh_from_db()
    assert referral.status == "geaccepteerd"


def test_a_system_that_answered_is_named_from_the_history(referral, api_key, welfare, intake):
    client, _key = api_key(welfare, name="Welzijnsregistratie")
    referral_accept(actor=agent_for_client(client), referral=referral, version=1)
    referral.refresh_from_db()
    assert referral.responded_by_id is None
    assert referral_changed_by(referral) == "Welzijnsregistratie"
    with pytest.raises(ReferralChanged, match="Welzijnsregistratie"):
        referral_accept(actor=intake, referral=referral, version=1)
