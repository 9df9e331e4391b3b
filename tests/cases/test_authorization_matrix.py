"""The authorization matrix of issue 4: every page of households, referrals, consents, joint
cases, support packages and the ledger, for each situation a partner can be in, with zero leaks
of the household's data."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Referral
from cases.services.consents import consent_record, consent_withdraw
from cases.services.dashboards import dashboard_refresh
from cases.services.referrals import referral_accept, referral_complete, referral_send
from cases.services.support import support_package_request
from tests.factories import MembershipFactory, SignalFactory, agree

pytestmark = pytest.mark.django_db
STREET = "Lindelaan"  # the household's street (conftest), searched for
ADDRESS = "Lindelaan 12-a"  # what a page shows of it (the search field echoes only the street)
SECRET = "Signaal dat niet gedeeld is"


@pytest.fixture
def world(corporation, welfare, corporation_worker, household, categories):
    lonely = categories[0]
    agree(corporation, welfare, lonely)
    consent = consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose="Eenzaamheid",
        categories=[lonely],
        given_how="mondeling",
        given_on=timezone.localdate(),
    )
    shared = SignalFactory(household=household, category=lonely, description="Gedeeld signaal")
    SignalFactory(household=household, category=categories[1], description=SECRET)
    referral = referral_send(
        actor=corporation_worker, household=household, to_organisation=welfare, signals=[shared]
    )
    packages = [
        support_package_request(
            actor=corporation_worker,
            household=household,
            item="inrichting",
            amount=Decimal(amount),
            paying_organisation=payer,
        )
        for payer, amount in ((household.corporation, "450"), (welfare, "900"))
    ]
    dashboard_refresh()  # the dashboards count them too, and show no household
    return {"referral": referral, "consent": consent, "packages": packages}


def pages(household, referral, packages=()):
    return [
        reverse("cases:household_list") + f"?q={STREET}",
        reverse("cases:household_detail", args=[household.pk]),
        reverse("cases:signal_list") + "?lijst=alle",
        reverse("cases:visit_create", args=[household.pk]),
        reverse("consents:create", args=[household.pk]),
        reverse("referrals:inbox") + "?lijst=alle",
        reverse("referrals:outbox"),
        reverse("referrals:detail", args=[referral.pk]),
        reverse("referrals:send", args=[household.pk]),
        reverse("joint_cases:list"),
        reverse("joint_cases:open", args=[household.pk]),
        reverse("packages:household", args=[household.pk]),
        reverse("packages:inbox") + "?lijst=alle",
        *(reverse("packages:detail", args=[package.pk]) for package in packages),
        reverse("ledger:ledger"),
        reverse("ledger:print"),
        reverse("dashboards:dashboard"),
        reverse("dashboards:export", args=["verwijzingen", "csv"]),
    ]


def leaks(client, household, referral, packages=()):
    """Pages that showed the household's street or its unshared signal."""
    found = []
    for url in pages(household, referral, packages):
        response = client.get(url)
        html = response.content.decode() if response.status_code == 200 else ""
        if ADDRESS in html or SECRET in html:
            found.append((url, "address" if ADDRESS in html else "secret"))
    return found


def situation(name, world, welfare_worker, corporation_worker, settings):
    referral = world["referral"]
    if name == "closed_and_period_passed":
        referral_accept(actor=welfare_worker, referral=referral)
        referral_complete(actor=welfare_worker, referral=referral, outcome="geholpen")
        Referral.objects.filter(pk=referral.pk).update(
            closed_at=timezone.now()
            - datetime.timedelta(days=settings.REFERRAL_ACCESS_DAYS_AFTER_CLOSE + 1)
        )
    elif name == "consent_withdrawn":
        referral_accept(actor=welfare_worker, referral=referral)
        consent_withdraw(
            actor=corporation_worker, consent=world["consent"], withdrawn_on=timezone.localdate()
        )


@pytest.mark.parametrize("name", ["open_referral", "closed_and_period_passed", "consent_withdrawn"])
@pytest.mark.parametrize("role", ["medewerker", "manager", "beheerder", "privacyfunctionaris"])
def test_a_partner_sees_only_what_the_referral_shares(
    login, world, welfare, welfare_worker, corporation_worker, household, settings, name, role
):
    situation(name, world, welfare_worker, corporation_worker, settings)
    member = (
        welfare_worker
        if role == "medewerker"
        else MembershipFactory(organisation=welfare, role=role)
    )
    found = leaks(login(member), household, world["referral"], world["packages"])
    if name == "open_referral" and role == "medewerker":
        # The inbox, the referral page and opening a joint case show the household's address,
        # and so do its packages page and the package welfare pays (not the corporation's own);
        # the household's own pages stay the corporation's, the unshared signal shows nowhere.
        assert found == [
            (reverse("referrals:inbox") + "?lijst=alle", "address"),
            (reverse("referrals:detail", args=[world["referral"].pk]), "address"),
            (reverse("joint_cases:open", args=[household.pk]), "address"),
            (reverse("packages:household", args=[household.pk]), "address"),
            (reverse("packages:inbox") + "?lijst=alle", "address"),
            (reverse("packages:detail", args=[world["packages"][1].pk]), "address"),
        ]
    else:
        assert found == []


@pytest.mark.parametrize("role", ["medewerker", "manager", "beheerder", "privacyfunctionaris"])
def test_a_third_organisation_sees_nothing(login, world, care, household, role):
    member = MembershipFactory(organisation=care, role=role)
    assert leaks(login(member), household, world["referral"], world["packages"]) == []


def test_another_corporation_sees_nothing(login, world, outsider, household):
    assert leaks(login(outsider), household, world["referral"], world["packages"]) == []


@pytest.mark.parametrize("role", ["manager", "beheerder", "privacyfunctionaris"])
def test_the_corporations_other_roles_see_no_household_pages(
    login, world, corporation, household, role
):
    member = MembershipFactory(organisation=corporation, role=role)
    assert leaks(login(member), household, world["referral"], world["packages"]) == []


@pytest.mark.parametrize("organisation", ["corporation", "welfare", "care", "third_corporation"])
def test_the_dashboards_count_but_never_show_a_household(login, world, request, organisation):
    member = MembershipFactory(organisation=request.getfixturevalue(organisation), role="manager")
    client = login(member)
    assert client.get(reverse("dashboards:dashboard")).status_code == 200
    csv = client.get(reverse("dashboards:export", args=["verwijzingen", "csv"]))
    assert csv.status_code == 200
    assert STREET not in csv.content.decode() and SECRET not in csv.content.decode()


def test_the_corporations_worker_sees_its_own_household(
    login, world, corporation_worker, household
):
    found = dict(leaks(login(corporation_worker), household, world["referral"], world["packages"]))
    assert reverse("cases:household_detail", args=[household.pk]) in found
    for package in world["packages"]:
        assert reverse("packages:detail", args=[package.pk]) in found


# --- the privacy officer's pages (issue 7) ----------------------------------------------------


def avg_pages(household):
    return [
        reverse(f"privacy:{name}", args=[household.pk])
        for name in ("avg_overview", "avg_document", "avg_export")
    ]


def avg_leaks(client, household):
    """(status, shows the address, shows the unshared signal) per AVG page, and whether the
    access-log viewer shows the address."""
    found = []
    for url in avg_pages(household):
        response = client.get(url)
        body = response.content.decode() if response.status_code == 200 else ""
        # The JSON file gives the street and number in one field.
        found.append((response.status_code, ADDRESS in body or STREET in body, SECRET in body))
    log = client.get(reverse("privacy:access_log"))
    return found, log.status_code == 200 and ADDRESS in log.content.decode()


@pytest.mark.parametrize("name", ["open_referral", "closed_and_period_passed", "consent_withdrawn"])
@pytest.mark.parametrize("role", ["medewerker", "manager", "beheerder", "privacyfunctionaris"])
def test_a_partner_reaches_the_avg_overview_as_privacy_officer_only_and_sees_what_it_holds(
    login, world, welfare, welfare_worker, corporation_worker, household, settings, name, role
):
    situation(name, world, welfare_worker, corporation_worker, settings)
    if name == "open_referral":
        # Welfare accepts, so its log has a row about the household in every situation.
        referral_accept(actor=welfare_worker, referral=world["referral"])
    member = MembershipFactory(organisation=welfare, role=role)
    pages, log_shows_address = avg_leaks(login(member), household)
    if role != "privacyfunctionaris":
        assert [status for status, *_ in pages] == [403, 403, 403]
        return
    shared = name == "open_referral"
    assert pages == [(200, shared, False)] * 3, (
        "the unshared signal never; the address while shared"
    )
    assert log_shows_address is shared, "the viewer names the household while it is shared"


@pytest.mark.parametrize("role", ["medewerker", "manager", "beheerder", "privacyfunctionaris"])
def test_a_third_organisation_and_another_corporation_hold_nothing_of_the_household(
    login, world, care, third_corporation, household, role
):
    for organisation in (care, third_corporation):
        member = MembershipFactory(organisation=organisation, role=role)
        pages, log_shows_address = avg_leaks(login(member), household)
        expected = 404 if role == "privacyfunctionaris" else 403
        assert [status for status, *_ in pages] == [expected] * 3
        assert log_shows_address is False


def test_the_corporations_privacy_officer_sees_its_household_whole(
    login, world, privacy_officer, household
):
    pages, log_shows_address = avg_leaks(login(privacy_officer), household)
    assert pages == [(200, True, True)] * 3
