"""What a partner sees of a household's support packages."""

import pytest
from django.utils import translation

from cases.models import SupportPackage
from cases.selectors import support as selectors_support
from tests.factories import request_package

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Services called directly speak the message ids; the pages speak Dutch per request."""
    with translation.override("en"):
        yield


def test_a_partner_sees_its_own_packages_never_those_between_others(
    corporation_worker, welfare_worker, household, corporation, welfare, referred
):
    own = request_package(corporation_worker, household, corporation, "120")
    theirs = request_package(corporation_worker, household, welfare, "300")
    by_welfare = request_package(welfare_worker, household, corporation, "45")
    seen = selectors_support.household_packages(actor=welfare_worker, household=household)
    assert {p.pk for p in seen} == {theirs.pk, by_welfare.pk}
    assert own.pk not in {p.pk for p in SupportPackage.objects.visible_to(welfare_worker)}, (
        "a package between the corporation and itself is not welfare's business"
    )
