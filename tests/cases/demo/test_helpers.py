"""The demo's helpers (cases.demo.helpers)."""

import pytest
from django.core.management import call_command

from cases.models import Helper, HelperEvent
from cases.workflow import HelperStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_helpers_in_lindenhoven_in_each_state_once():
    call_command("seed_demo", password="een-eigen-wachtwoord")
    call_command("seed_demo", password="een-eigen-wachtwoord")
    # Those outside a complex; the balance's helpers in complexes are cases.demo.help_balance's.
    helpers = Helper.objects.filter(complex__isnull=True)
    assert helpers.count() == 4
    assert set(helpers.values_list("status", flat=True)) == {
        HelperStatus.ACTIVE,
        HelperStatus.PAUSED,
        HelperStatus.REGISTERED,
    }
    assert set(helpers.values_list("organisation__name", flat=True)) == {
        "Woonstichting Lindenhoven",
        "Welzijn Lindenhoven",
    }
    confirmed = HelperEvent.objects.filter(kind=HelperEvent.Kind.CONFIRMED)
    assert confirmed.count() == 3 and not confirmed.filter(agent="").exists()
