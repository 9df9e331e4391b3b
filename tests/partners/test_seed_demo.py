import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from partners.models import Membership, Neighbourhood, Organisation, User

pytestmark = pytest.mark.django_db


def counts():
    return (
        Organisation.objects.count(),
        Neighbourhood.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )


@override_settings(DEBUG=True)
def test_seed_demo_is_safe_to_run_twice(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    out = capsys.readouterr().out
    assert "Inclusie-demo-2026" in out
    assert "samenlevingsondersteuner@lindenhoven.example" in out


def test_it_has_every_kind_of_organisation_and_every_role():
    call_command("seed_demo", password="een-eigen-wachtwoord")
    assert set(Organisation.objects.values_list("kind", flat=True)) >= {
        "corporatie",
        "welzijn",
        "zorg",
        "gemeente",
    }
    assert set(Membership.objects.values_list("role", flat=True)) == set(Membership.Role.values)
    assert len(set(Organisation.objects.values_list("memberships__user", flat=True))) > 1
    shared = User.objects.get(email="samenlevingsondersteuner@lindenhoven.example")
    kinds = set(shared.memberships.values_list("organisation__kind", flat=True))
    assert kinds == {"corporatie", "welzijn", "gemeente"}
    assert shared.check_password("een-eigen-wachtwoord")
    assert Neighbourhood.objects.filter(kind="buurt", parent__kind="wijk").exists()


@override_settings(DEBUG=False)
def test_the_default_password_is_refused_when_debug_is_off():
    with pytest.raises(CommandError, match="--password"):
        call_command("seed_demo")
    assert counts() == (0, 0, 0, 0)
