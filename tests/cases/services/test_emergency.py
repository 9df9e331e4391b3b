"""Emergency access (issue 7, ADR 0010): logged and notified, for its window only, refused with
the reason; a narrow read, not a key to the household: every write service refuses a worker who
has only that."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cases.models import AccessLog, EmergencyAccess, HouseholdEvent, SupportPackage
from cases.services import joint_cases
from cases.services.emergency import emergency_access_open
from cases.services.referrals import referral_send
from cases.services.support import support_package_request
from cases.services.visits import home_visit_log
from partners.models import Notification
from tests.factories import MembershipFactory, SignalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_emergency_access_writes_its_log_row_and_its_notifications(
    other_household, third_corporation, care_worker, care, django_capture_on_commit_callbacks
):
    care_officer = MembershipFactory(organisation=care, role="privacyfunctionaris")
    owner_officer = MembershipFactory(organisation=third_corporation, role="privacyfunctionaris")
    MembershipFactory(organisation=third_corporation, role="medewerker")  # not an officer
    with django_capture_on_commit_callbacks(execute=True):
        access = emergency_access_open(
            actor=care_worker,
            household=other_household,
            reason="Buren horen al twee dagen niets; de deur is dicht.",
        )
    row = AccessLog.objects.get(action="emergency")
    assert (row.user, row.organisation, row.household, row.legal_basis) == (
        care_worker.user,
        care,
        other_household,
        "noodtoegang",
    )
    assert (row.object_type, row.object_id) == ("cases.emergencyaccess", str(access.pk))
    notified = Notification.objects.filter(kind="emergency_access")
    assert {(n.recipient, n.organisation) for n in notified} == {
        (care_officer.user, care),
        (owner_officer.user, third_corporation),
    }
    for notification in notified:
        assert notification.data == {"emergency_access": access.pk, "organisation": care.name}
        assert notification.url.endswith(f"#noodtoegang-{access.pk}")
    assert HouseholdEvent.objects.filter(
        household=other_household, kind="emergency_access"
    ).exists()


def test_the_window_lasts_emergency_access_hours(other_household, care_worker, settings):
    access = emergency_access_open(
        actor=care_worker, household=other_household, reason="Rook uit de woning van de buren."
    )
    assert access.ends_at - access.started_at == datetime.timedelta(
        hours=settings.EMERGENCY_ACCESS_HOURS
    )


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("short", "Describe the emergency in at least 20 characters"),
        ("visible", "You can already see this household"),
        ("twice", "You opened this household in an emergency already"),
        ("manager", "Only workers may use emergency access."),
        ("repeated", "A word or letter repeated is no reason."),
        ("one letter", "A word or letter repeated is no reason."),
        ("two words", "A word or letter repeated is no reason."),
    ],
)
def test_emergency_access_is_refused_with_the_reason(
    household, other_household, corporation_worker, manager, case, message
):
    actor, target, reason = corporation_worker, other_household, "Een echte noodsituatie hier."
    if case == "short":
        reason = "Nood"
    elif case == "visible":
        target = household
    elif case == "twice":
        emergency_access_open(actor=actor, household=target, reason=reason)
    elif case == "manager":
        actor = manager
    elif case == "repeated":
        reason = "Test test test test test test"
    elif case == "one letter":
        reason = "x" * 25
    elif case == "two words":
        reason = "Nood nood nood, help help help!"
    count = EmergencyAccess.objects.count()
    with pytest.raises(ValidationError) as refused:
        emergency_access_open(actor=actor, household=target, reason=reason)
    assert message in " ".join(refused.value.messages)
    assert EmergencyAccess.objects.count() == count


def _writes(actor, household, welfare, third_corporation):
    signal = SignalFactory(household=household)
    today = timezone.localdate()
    return {
        "home_visit_log": lambda: home_visit_log(
            actor=actor,
            household=household,
            visited_on=today,
            kind="regulier",
            outcome="geen_zorgen",
        ),
        "support_package_request": lambda: support_package_request(
            actor=actor,
            household=household,
            item="witgoed",
            amount=Decimal("250.00"),
            paying_organisation=third_corporation,
            description="Koelkast kapot",
        ),
        "case_open": lambda: joint_cases.case_open(actor=actor, household=household),
        "referral_send": lambda: referral_send(
            actor=actor, household=household, to_organisation=welfare, signals=[signal]
        ),
    }


@pytest.mark.parametrize(
    "write", ["home_visit_log", "support_package_request", "case_open", "referral_send"]
)
def test_every_write_service_refuses_a_worker_with_emergency_access_only(
    opened, corporation_worker, other_household, welfare, third_corporation, write
):
    call = _writes(corporation_worker, other_household, welfare, third_corporation)[write]
    events = HouseholdEvent.objects.filter(household=other_household).count()
    with pytest.raises(ValidationError) as refused:
        call()
    assert "You may not work with this household." in refused.value.messages
    assert HouseholdEvent.objects.filter(household=other_household).count() == events
    assert not SupportPackage.objects.filter(household=other_household).exists()
