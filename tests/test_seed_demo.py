import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from cases.models import HomeVisit, Household, HouseholdEvent, Resident, Signal
from partners.models import Membership, Neighbourhood, Organisation, User

pytestmark = pytest.mark.django_db


def counts():
    return (
        Organisation.objects.count(),
        Neighbourhood.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Membership.neighbourhoods.through.objects.count(),
        Household.objects.count(),
        Resident.objects.count(),
        HomeVisit.objects.count(),
        Signal.objects.count(),
        HouseholdEvent.objects.count(),
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
    assert "Demo cases of Woonstichting Lindenhoven (already there): 200 households" in out
    assert "Dashboard figures counted" in out


def test_the_demo_managers_see_filled_dashboards():
    from cases.models import DashboardTally
    from cases.selectors.dashboards import dashboard_get
    from cases.selectors.dashboards.filters import DashboardFilters, default_period

    call_command("seed_demo", password="een-eigen-wachtwoord")
    start, end = default_period("maand")
    for local in ("manager.corporatie", "manager.welzijn"):
        manager = Membership.objects.get(user__email=f"{local}@lindenhoven.example")
        dashboard = dashboard_get(actor=manager, filters=DashboardFilters(start=start, end=end))
        tables = [t for s in dashboard.sections for t in s.tables]
        assert len(tables) >= 9
        empty = [t.key for t in tables if t.is_empty and not t.has_suppressed]
        assert empty == [], local
    assert DashboardTally.objects.exists()


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
    assert counts() == (0,) * 10


def test_the_corporation_workers_have_their_neighbourhoods_and_log_the_demo_visits():
    call_command("seed_demo", password="een-eigen-wachtwoord")
    corporation = Organisation.objects.get(name="Woonstichting Lindenhoven")

    def areas(local):
        membership = Membership.objects.get(
            user__email=f"{local}@lindenhoven.example", organisation=corporation
        )
        return set(membership.neighbourhoods.values_list("name", flat=True))

    assert areas("woonconsulent") == {"Oude Haven", "Marktkwartier"}
    assert areas("wijkbeheerder") == {"De Akkers", "Vogelbuurt"}
    assert areas("samenlevingsondersteuner") == {
        "Oude Haven",
        "Marktkwartier",
        "De Akkers",
        "Vogelbuurt",
    }
    assert areas("manager.corporatie") == set()
    loggers = set(HomeVisit.objects.values_list("created_by__email", flat=True))
    assert loggers == {
        "woonconsulent@lindenhoven.example",
        "wijkbeheerder@lindenhoven.example",
        "samenlevingsondersteuner@lindenhoven.example",
    }
    assert set(Household.objects.values_list("corporation", flat=True)) == {corporation.pk}
    # Each worker's visits are in their own neighbourhoods.
    worked = {local: areas(local) for local in ("woonconsulent", "wijkbeheerder")}
    for email, name in HomeVisit.objects.values_list(
        "created_by__email", "household__neighbourhood__name"
    ):
        assert name in worked.get(email.split("@")[0], {name})
