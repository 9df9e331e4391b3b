"""Each access-log row records who, when, on whose behalf, what and on which legal basis."""

import pytest

from cases.access.log import log_access

pytestmark = pytest.mark.django_db


def test_a_row_records_who_when_on_whose_behalf_what_and_why(row, corporation_worker, household):
    row.refresh_from_db()
    assert row.user == corporation_worker.user
    assert row.role == "medewerker"
    assert row.organisation == corporation_worker.organisation
    assert row.household == household
    assert (row.action, row.object_type, row.object_id) == (
        "view",
        "cases.household",
        str(household.pk),
    )
    assert row.legal_basis == "eigen_huurder"
    assert row.at is not None


def test_the_receivers_reads_are_logged_on_the_referrals_basis(referral, welfare_worker, household):
    row = log_access(actor=welfare_worker, action="view", household=household, obj=household)
    assert row.legal_basis == "toestemming"
