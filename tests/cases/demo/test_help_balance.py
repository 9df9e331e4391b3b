"""The demo's balance (cases.demo.help_balance): Lindenhoven's corporation manager sees one
complex where requests outweigh helpers and one where they do not, and help given."""

import pytest
from django.core.management import call_command

from cases.models import HelpGiven, HelpRequest
from cases.selectors.balance import balance_for, balance_scope
from partners.models import Membership

pytestmark = pytest.mark.django_db


def test_lindenhoven_shows_one_complex_where_requests_outweigh_helpers():
    call_command("seed_demo", password="een-eigen-wachtwoord")
    call_command("seed_demo", password="een-eigen-wachtwoord")
    assert HelpRequest.objects.count() == 9 and HelpGiven.objects.count() == 2
    manager = Membership.objects.get(
        role="manager", organisation__name="Woonstichting Lindenhoven", ended_at=None
    )
    result = balance_for(actor=manager, scope=balance_scope(actor=manager))
    outweighed = [p.label for p in result.places if p.outweighed and p.key != "totaal"]
    assert outweighed == ["Gildehof"]
    hours = [row.cells[3].value for row in result.history.rows]  # 60 and 90 minutes
    assert sum(hours) >= 2 and result.history.columns[3] == "Uren hulp gegeven"
