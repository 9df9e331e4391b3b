"""Support packages: who may request and pay, the workflow and its forbidden moves, validation,
two people deciding at once, what a partner sees, the history and the access log, the pages."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cases.access.bases import payer_choices
from cases.models import AccessLog, HouseholdEvent, SupportPackage
from cases.selectors import support as selectors_support
from cases.services.consents import consent_record
from cases.services.referrals import referral_send, referral_withdraw
from cases.services.support import (
    support_package_approve,
    support_package_decline,
    support_package_deliver,
    support_package_request,
)
from tests.cases.test_referrals import agree
from tests.factories import MembershipFactory, SignalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Services called directly speak the message ids; the pages speak Dutch per request."""
    with translation.override("en"):
        yield


@pytest.fixture
def referred(corporation, welfare, corporation_worker, household, categories):
    """An open referral of the household to welfare, on consent: welfare works with it."""
    lonely = categories[0]
    agree(corporation, welfare, lonely)
    consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose="Inrichting en contact",
        categories=[lonely],
        given_how="mondeling",
        given_on=timezone.localdate(),
    )
    signal = SignalFactory(household=household, category=lonely)
    return referral_send(
        actor=corporation_worker, household=household, to_organisation=welfare, signals=[signal]
    )


def request_package(actor, household, payer, amount="850.00", item="inrichting", **extra):
    return support_package_request(
        actor=actor,
        household=household,
        item=item,
        amount=Decimal(amount),
        paying_organisation=payer,
        **extra,
    )


@pytest.fixture
def package(corporation_worker, household, welfare, referred):
    return request_package(corporation_worker, household, welfare)


# --- the workflow -------------------------------------------------------------------------------


def test_requested_approved_by_the_payer_then_delivered(
    package, welfare_worker, corporation_worker, household
):
    assert (package.status, package.amount, package.version) == ("aangevraagd", Decimal("850"), 1)
    support_package_approve(actor=welfare_worker, package=package)
    package.refresh_from_db()
    assert (package.status, package.decided_by, package.version) == (
        "goedgekeurd",
        welfare_worker.user,
        2,
    )
    support_package_deliver(actor=corporation_worker, package=package)
    package.refresh_from_db()
    assert (package.status, package.delivered_on) == ("geleverd", timezone.localdate())
    kinds = list(
        HouseholdEvent.objects.filter(household=household, kind__startswith="package_")
        .order_by("id")
        .values_list("kind", "organisation__name", "data__amount")
    )
    assert kinds == [
        ("package_requested", "Woonstichting Testdorp", "850.00"),
        ("package_approved", "Welzijn Testdorp", "850.00"),
        ("package_delivered", "Woonstichting Testdorp", "850.00"),
    ]
    rows = AccessLog.objects.filter(object_type="cases.supportpackage").order_by("id")
    assert [(r.action, r.organisation.name, r.legal_basis, r.household_id) for r in rows] == [
        ("create", "Woonstichting Testdorp", "eigen_huurder", household.pk),
        ("update", "Welzijn Testdorp", "toestemming", household.pk),
        ("update", "Woonstichting Testdorp", "eigen_huurder", household.pk),
    ]


def test_declining_needs_a_reason_and_ends_it(package, welfare_worker, corporation_worker):
    with pytest.raises(ValidationError) as error:
        support_package_decline(actor=welfare_worker, package=package, reason="  ")
    assert "reason" in error.value.message_dict
    support_package_decline(
        actor=welfare_worker, package=package, reason="Past niet in ons budget dit jaar"
    )
    package.refresh_from_db()
    assert (package.status, package.decline_reason) == (
        "afgewezen",
        "Past niet in ons budget dit jaar",
    )
    with pytest.raises(ValidationError, match="Fatma Test declined this support package already"):
        support_package_approve(actor=welfare_worker, package=package)
    with pytest.raises(ValidationError):
        support_package_deliver(actor=corporation_worker, package=package)


def test_forbidden_moves_are_refused(package, welfare_worker, corporation_worker, welfare):
    with pytest.raises(ValidationError, match="cannot be ‘delivered’ yet"):
        support_package_deliver(actor=welfare_worker, package=package)
    with pytest.raises(ValidationError, match="Only the paying organisation"):
        support_package_approve(actor=corporation_worker, package=package)
    admin = MembershipFactory(organisation=welfare, role="beheerder")
    with pytest.raises(ValidationError, match="workers and managers"):
        support_package_approve(actor=admin, package=package)
    manager = MembershipFactory(organisation=welfare, role="manager", user__name="Kees Baas")
    support_package_approve(actor=manager, package=package)
    with pytest.raises(ValidationError, match="Kees Baas approved this support package already"):
        support_package_decline(actor=welfare_worker, package=package, reason="Nee")
    with pytest.raises(ValidationError, match="Only workers"):
        support_package_deliver(actor=manager, package=package)
    future = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        support_package_deliver(actor=corporation_worker, package=package, delivered_on=future)
    assert "delivered_on" in error.value.message_dict
    support_package_deliver(actor=corporation_worker, package=package)
    with pytest.raises(ValidationError, match="as delivered already"):
        support_package_deliver(actor=welfare_worker, package=package)
    package.refresh_from_db()
    assert package.version == 3


@pytest.mark.parametrize(
    ("item", "amount", "description", "field"),
    [
        ("anders", "100", "", "description"),
        ("inrichting", "0", "", "amount"),
        ("inrichting", "-5", "", "amount"),
        ("inrichting", "100000", "", "amount"),
        ("inrichting", "12.345", "", "amount"),
        ("fiets", "100", "", "item"),
    ],
)
def test_the_service_checks_its_input(
    corporation_worker, household, corporation, item, amount, description, field
):
    with pytest.raises(ValidationError) as error:
        request_package(
            corporation_worker, household, corporation, amount, item, description=description
        )
    assert field in error.value.message_dict
    assert SupportPackage.objects.count() == 0


def test_the_payer_must_work_with_the_household(
    corporation_worker, household, corporation, care, welfare, referred
):
    with pytest.raises(ValidationError) as error:
        request_package(corporation_worker, household, care)
    assert "paying_organisation" in error.value.message_dict
    assert request_package(corporation_worker, household, corporation).paying_organisation == (
        corporation
    )
    assert request_package(corporation_worker, household, welfare).paying_organisation == welfare


def test_only_workers_who_may_see_the_household_request(
    household, corporation, manager, care_worker, outsider
):
    with pytest.raises(ValidationError, match="Only workers"):
        request_package(manager, household, corporation)
    for actor in (care_worker, outsider):
        with pytest.raises(ValidationError, match="may not work with this household"):
            request_package(actor, household, corporation)


def test_a_partner_is_offered_only_the_corporation_and_itself(
    corporation_worker, welfare_worker, household, corporation, welfare, municipality, referred
):
    categories = list(referred.signals.all())
    agree(corporation, municipality, categories[0].category)
    consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=municipality,
        purpose="Schuldhulp",
        categories=[categories[0].category],
        given_how="mondeling",
        given_on=timezone.localdate(),
    )
    signal = SignalFactory(household=household, category=categories[0].category)
    referral_send(
        actor=corporation_worker,
        household=household,
        to_organisation=municipality,
        signals=[signal],
    )
    everyone = {corporation.pk, welfare.pk, municipality.pk}
    assert payer_choices(actor=corporation_worker, household=household) == everyone
    assert payer_choices(actor=welfare_worker, household=household) == {
        corporation.pk,
        welfare.pk,
    }, "welfare is not told about the municipality's referral"


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


# --- two people deciding at the same moment ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_people_deciding_at_once_the_second_is_told_who_did_what(
    corporation_worker, household, welfare, categories, corporation
):
    lonely = categories[0]
    agree(corporation, welfare, lonely)
    consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose="Inrichting",
        categories=[lonely],
        given_how="mondeling",
        given_on=timezone.localdate(),
    )
    referral_send(
        actor=corporation_worker,
        household=household,
        to_organisation=welfare,
        signals=[SignalFactory(household=household, category=lonely)],
    )
    approver = MembershipFactory(organisation=welfare, user__name="Anna Akkoord")
    decliner = MembershipFactory(organisation=welfare, role="manager", user__name="Dirk Nee")
    for _round in range(20):
        package = request_package(corporation_worker, household, welfare)
        barrier = threading.Barrier(2)
        results = {}

        def decide(actor, package=package, barrier=barrier, results=results):
            try:
                with translation.override("en"):
                    barrier.wait()
                    if actor == approver:
                        support_package_approve(actor=actor, package=package)
                    else:
                        support_package_decline(actor=actor, package=package, reason="Geen budget")
                results[actor.user.name] = "won"
            except ValidationError as error:
                results[actor.user.name] = " ".join(error.messages)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                results[actor.user.name] = repr(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=decide, args=(m,)) for m in (approver, decliner)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        winners = [name for name, result in results.items() if result == "won"]
        assert len(winners) == 1, results
        loser = next(result for result in results.values() if result != "won")
        did = "approved" if winners[0] == "Anna Akkoord" else "declined"
        assert f"{winners[0]} {did} this support package already" in loser
        package.refresh_from_db()
        assert package.decided_by.name == winners[0]
        assert package.version == 2


# --- the pages ----------------------------------------------------------------------------------


def household_page(household):
    return reverse("cases:household_detail", args=[household.pk])


def packages_page(household):
    return reverse("packages:household", args=[household.pk])


def act(package, action):
    return reverse("packages:act", args=[package.pk, action])


def test_the_household_page_requests_a_package_and_shows_it_in_dutch(
    login, corporation_worker, household, corporation, referred
):
    client = login(corporation_worker)
    page = client.get(household_page(household)).content.decode()
    assert 'data-testid="support-packages"' in page and "Pakket aanvragen" in page
    response = client.post(
        packages_page(household),
        {
            "item": "witgoed",
            "amount": "1.234,50",
            "paying_organisation": corporation.pk,
            "description": "Wasmachine",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == household_page(household) + "#pakketten"
    package = SupportPackage.objects.get()
    assert (package.amount, package.description) == (Decimal("1234.50"), "Wasmachine")
    html = client.get(household_page(household)).content.decode()
    assert "€\xa01.234,50" in html
    assert "Ondersteuningspakket aangevraagd" in html, "the timeline shows it"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"item": "anders", "amount": "80"}, "description", "Beschrijf wat het pakket is."),
        ({"item": "inrichting", "amount": "tachtig"}, "amount", "Geef een bedrag in euro"),
        ({"item": "inrichting", "amount": "0"}, "amount", "meer dan €"),
        ({"item": "inrichting", "amount": "100.000"}, "amount", "hoogstens € 99.999,99"),
        ({"amount": "80"}, "item", "Dit veld is verplicht"),
    ],
)
def test_bad_input_is_told_next_to_the_field_and_kept(
    login, corporation_worker, household, corporation, data, field, message
):
    data = {"paying_organisation": corporation.pk, "description": "Bewaar mij", **data}
    data["description"] = data["description"] if data.get("item") != "anders" else ""
    response = login(corporation_worker).post(packages_page(household), data)
    assert response.status_code == 200
    form = response.context["package_form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'value="{data["amount"]}"' in html, "what was typed stays"
    assert SupportPackage.objects.count() == 0
    assert AccessLog.objects.filter(action="view", household=household).count() == 1


def test_a_partner_requests_from_the_households_packages_page(
    login, welfare_worker, household, welfare, referred, other_household
):
    client = login(welfare_worker)
    assert client.get(packages_page(household)).status_code == 200
    response = client.post(
        packages_page(household),
        {"item": "budgetcoaching", "amount": "300", "paying_organisation": welfare.pk},
    )
    assert response["Location"] == packages_page(household)
    assert SupportPackage.objects.get().requested_for == welfare
    assert client.get(packages_page(other_household)).status_code == 404


@pytest.mark.parametrize("cast", ["manager", "admin", "privacy_officer"])
def test_requesting_is_for_workers(login, request, household, cast):
    client = login(request.getfixturevalue(cast))
    assert client.get(packages_page(household)).status_code == 403
    assert client.post(packages_page(household), {}).status_code == 403


def test_the_payers_manager_decides_from_the_inbox_without_the_address(
    login, package, welfare, household
):
    manager = MembershipFactory(organisation=welfare, role="manager")
    client = login(manager)
    response = client.get(reverse("packages:inbox"))
    assert response.status_code == 200
    assert [p.pk for p in response.context["packages"]] == [package.pk]
    html = response.content.decode()
    assert "€\xa0850,00" in html and household.street not in html
    row = AccessLog.objects.get(user=manager.user)
    assert (row.action, row.legal_basis, row.detail["shown"]) == ("search", "geen", [package.pk])
    response = client.post(
        act(package, "goedkeuren"),
        {f"pakket{package.pk}-version": package.version, "next": reverse("packages:inbox")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("packages:inbox")
    package.refresh_from_db()
    assert package.status == "goedgekeurd"


def test_a_late_form_says_who_did_what_and_keeps_the_reason(
    login, package, welfare, welfare_worker
):
    colleague = MembershipFactory(organisation=welfare, user__name="Karin Collega")
    support_package_approve(actor=colleague, package=package)
    response = login(welfare_worker).post(
        act(package, "afwijzen"),
        {f"pakket{package.pk}-version": 1, f"pakket{package.pk}-reason": "Te duur"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Karin Collega heeft dit ondersteuningspakket al goedgekeurd" in html
    package.refresh_from_db()
    assert package.status == "goedgekeurd"


def test_decline_without_reason_is_told_next_to_the_field(login, package, welfare_worker):
    response = login(welfare_worker).post(
        act(package, "afwijzen"), {f"pakket{package.pk}-version": package.version}
    )
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode()
    package.refresh_from_db()
    assert package.status == "aangevraagd"


def test_package_pages_404_403_405(login, package, care_worker, outsider, admin, welfare_worker):
    for member in (care_worker, outsider):
        client = login(member)
        assert client.get(reverse("packages:detail", args=[package.pk])).status_code == 404
        assert client.post(act(package, "goedkeuren"), {}).status_code == 404
    client = login(admin)
    assert client.get(reverse("packages:inbox")).status_code == 403
    assert client.get(reverse("packages:detail", args=[package.pk])).status_code == 403
    client = login(welfare_worker)
    assert client.post(reverse("packages:inbox")).status_code == 405
    assert client.get(act(package, "goedkeuren")).status_code == 405
    assert client.post(act(package, "opeten"), {}).status_code == 404
    assert client.put(packages_page(package.household)).status_code == 405


def test_the_receiver_loses_the_address_when_the_sharing_ends(
    login, package, referred, welfare_worker, corporation_worker, household
):
    referral_withdraw(actor=corporation_worker, referral=referred)
    client = login(welfare_worker)
    response = client.get(reverse("packages:detail", args=[package.pk]))
    assert response.status_code == 200, "the package stays the payer's record"
    assert household.street not in response.content.decode()
    assert (
        AccessLog.objects.filter(user=welfare_worker.user).order_by("id").last().household_id
        is None
    )
    refused = client.post(
        act(package, "goedkeuren"), {f"pakket{package.pk}-version": package.version}
    )
    assert "mag niet met dit huishouden werken" in refused.content.decode()


def test_query_count_of_the_inbox_does_not_grow(login, corporation_worker, household, corporation):
    client = login(corporation_worker)
    client.get(reverse("packages:inbox"))  # the first request stamps the session
    counts = []
    for total in (1, 10, 50):
        while SupportPackage.objects.count() < total:
            request_package(corporation_worker, household, corporation, "10")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("packages:inbox"), {"lijst": "alle"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_the_requester_does_not_grant_their_own_request(
    corporation_worker, household, corporation, login
):
    package = request_package(corporation_worker, household, corporation)
    with pytest.raises(ValidationError, match="Someone other than the requester"):
        support_package_approve(actor=corporation_worker, package=package)
    (shown,) = selectors_support.household_packages(actor=corporation_worker, household=household)
    assert not shown.can_decide, "no buttons for the requester"
    colleague = MembershipFactory(organisation=corporation, user__name="Joke Collega")
    support_package_approve(actor=colleague, package=package)
    package.refresh_from_db()
    assert package.decided_by.name == "Joke Collega"
