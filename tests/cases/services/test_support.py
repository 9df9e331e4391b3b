"""Support packages: who may request and pay, the workflow and its forbidden moves, validation,
two people deciding at once, the history and the access log."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from cases.models import AccessLog, HouseholdEvent, SupportPackage
from cases.selectors import support as selectors_support
from cases.services.consents import consent_record
from cases.services.referrals import referral_send
from cases.services.support import (
    support_package_approve,
    support_package_decline,
    support_package_deliver,
)
from tests.factories import MembershipFactory, SignalFactory, agree, request_package

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Services called directly speak the message ids; the pages speak Dutch per request."""
    with translation.override("en"):
        yield


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
