"""The demo rates, estimates, hours and support packages (cases.demo.ledger), added by
seed_demo: the demo managers find a filled costs-and-savings ledger."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.forms.ledger import PeriodForm
from cases.models import (
    AccessLog,
    AvoidedCost,
    HourlyRate,
    HoursSplit,
    HouseholdEvent,
    SupportPackage,
    WorkedHours,
)
from cases.selectors.ledger import ledger_for
from cases.workflow import PackageStatus
from partners.models import Membership

pytestmark = pytest.mark.django_db
PASSWORD = "een-eigen-wachtwoord"


def member(email):
    return Membership.objects.select_related("organisation", "user").get(
        user__email=f"{email}@lindenhoven.example", ended_at=None
    )


@pytest.fixture
def seeded():
    call_command("seed_demo", password=PASSWORD)


def counts():
    return (
        HourlyRate.objects.count(),
        AvoidedCost.objects.count(),
        HoursSplit.objects.count(),
        WorkedHours.objects.count(),
        tuple(SupportPackage.objects.order_by("pk").values_list("status", "amount")),
        HouseholdEvent.objects.count(),
        AccessLog.objects.count(),
    )


def test_the_corporations_manager_finds_a_filled_ledger(seeded):
    manager = member("manager.corporatie")
    ledger = ledger_for(actor=manager, period=PeriodForm().default_period())
    assert {p.partner.organisation.name for p in ledger.pairs} == {
        "Welzijn Lindenhoven",
        "Zorggroep De Linde",
        "Gemeente Lindenhoven",
    }
    invested = {i.organisation.name: i for i in ledger.investments}
    for name in ("Woonstichting Lindenhoven", "Welzijn Lindenhoven", "Gemeente Lindenhoven"):
        assert invested[name].hours_cost > 0, name
    assert invested["Woonstichting Lindenhoven"].packages > 0
    assert all(p.partner_saves > 0 for p in ledger.pairs), "each partner saves thanks to us"
    assert any(p.own_saves > 0 for p in ledger.pairs), "and we thanks to a partner"
    assert all(s.estimate.source.startswith("Fictief demo-cijfer") for s in ledger.savings)


def test_the_welfare_manager_sees_its_side(seeded, client):
    manager = member("manager.welzijn")
    client.force_login(manager.user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("ledger:ledger"))
    assert response.status_code == 200
    (pair,) = response.context["ledger"].pairs
    assert pair.partner.organisation.name == "Woonstichting Lindenhoven"


def test_packages_in_every_status_through_the_services(seeded):
    packages = SupportPackage.objects.select_related("paying_organisation", "household")
    assert set(packages.values_list("status", flat=True)) == set(PackageStatus.values)
    assert {p.paying_organisation.kind for p in packages} == {"corporatie", "welzijn", "gemeente"}
    today = timezone.localdate()
    for package in packages:
        assert timezone.localtime(package.requested_at).date() <= today
        if package.decided_at:
            assert package.requested_at < package.decided_at
        if package.delivered_on:
            assert timezone.localtime(package.decided_at).date() <= package.delivered_on <= today
        events = HouseholdEvent.objects.filter(data__package=package.pk).order_by("at", "id")
        assert [e.kind for e in events][0] == "package_requested"
        assert list(events.values_list("at", flat=True)) == sorted(e.at for e in events)
    logged = set(
        AccessLog.objects.filter(object_type="cases.supportpackage").values_list(
            "user", "organisation"
        )
    )
    assert logged and logged <= set(Membership.objects.values_list("user", "organisation"))


def test_the_shared_worker_has_a_split_and_entered_hours(seeded):
    split = HoursSplit.objects.get()
    assert split.user.email == "samenlevingsondersteuner@lindenhoven.example"
    assert sorted(split.shares.values_list("percent", flat=True)) == [20, 30, 50]
    assert WorkedHours.objects.values("month").distinct().count() == 2


def test_running_seed_demo_twice_adds_nothing(capsys):
    call_command("seed_demo", password=PASSWORD)
    first = counts()
    call_command("seed_demo", password=PASSWORD)
    assert counts() == first
    out = capsys.readouterr().out
    assert "Demo costs and savings (added): 4 hourly rates" in out
    assert "Demo costs and savings (already there): 4 hourly rates" in out
