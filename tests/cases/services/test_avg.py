"""The household's rights (issue 7, ADR 0010): rectification keeps its history; erasure leaves
no name, phone number or free text in any column of any table, keeps the counts, and is refused
with the reason while a duty to keep applies."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cases.access.bases import PRECONDITIONS
from cases.models import AccessLog, EmergencyAccess, Household, HouseholdEvent, SupportPackage
from cases.models.ledger import Period
from cases.selectors.ledger import ledger_for
from cases.services import joint_cases
from cases.services.avg import (
    ResidentCorrection,
    erasure_refusals,
    household_erase,
    household_rectify,
)
from cases.services.consents import consent_record
from cases.services.referrals import (
    referral_accept,
    referral_complete,
    referral_send,
    referral_withdraw,
)
from tests.factories import MembershipFactory, SignalFactory, agree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Services called directly speak the message ids."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(privacy_world):
    """A household with every kind of data Inclusie holds (tests/worlds/privacy.py)."""
    return privacy_world


# --- erasure -------------------------------------------------------------------------------


def test_the_world_has_every_fragment_somewhere_before_erasure(world, found_anywhere):
    """The walk finds what it looks for: each original is in the database before erasure."""
    found = {fragment for _table, _column, fragment in found_anywhere(world.ORIGINALS)}
    # The misspelled name and the old phone number live on only in the rectification's history.
    assert found == set(world.ORIGINALS)


def test_after_erasure_no_original_is_found_in_any_text_column_of_any_table(
    world, privacy_officer, login, corporation_worker, found_anywhere, dashboard_counts
):
    # A search by name and by address leaves a row in the append-only log: a digest, not text.
    client = login(corporation_worker)
    client.get("/huishoudens/", {"q": world.NAME})
    client.get("/huishoudens/", {"q": "9901ZB 7"})
    before = dashboard_counts()
    household_erase(
        actor=privacy_officer, household=world.household, received_on=timezone.localdate()
    )
    assert found_anywhere(world.ORIGINALS) == []
    assert dashboard_counts() == before
    household = Household.objects.get(pk=world.household.pk)
    assert household.anonymised_at is not None
    assert (household.street, household.postcode, household.phone, household.email) == (
        "",
        "",
        "",
        "",
    )
    assert household.complex_id is None, "the complex with number and town is the address"
    assert household.neighbourhood_id and household.corporation_id  # for the dashboards
    erased = HouseholdEvent.objects.get(household=household, kind="data_erased")
    assert erased.user == privacy_officer.user
    row = AccessLog.objects.get(action="erase")
    assert (row.household_id, row.legal_basis) == (household.pk, "avg_verzoek")


def test_erasure_ends_the_informal_help_and_forgets_where_the_home_is(world, privacy_officer):
    from cases.models import HelpMatch, HelpRequest

    Household.objects.filter(pk=world.household.pk).update(latitude=52.01, longitude=4.02)
    household_erase(
        actor=privacy_officer, household=world.household, received_on=timezone.localdate()
    )
    household = Household.objects.get(pk=world.household.pk)
    assert (household.latitude, household.longitude) == (None, None)
    request = HelpRequest.objects.get(household=household)
    assert (request.status, request.description, request.place) == ("gesloten", "", "")
    statuses = sorted(HelpMatch.objects.filter(request=request).values_list("status", "ended_by"))
    assert statuses == [("beeindigd", "huishouden"), ("beeindigd", "huishouden")]
    assert not HelpMatch.objects.exclude(end_reason="").exists()


def test_erasure_empties_the_support_packages_text_and_the_ledger_stays(
    world, privacy_officer, manager, welfare
):
    month = timezone.localdate().replace(day=1)

    def invested():
        ledger = ledger_for(actor=manager, period=Period(month, month))
        return {i.organisation.name: (i.packages, i.package_count) for i in ledger.investments}

    before = invested()
    assert before[welfare.name] == (Decimal("640.00"), 1), "the delivered package"
    household_erase(
        actor=privacy_officer, household=world.household, received_on=timezone.localdate()
    )
    assert invested() == before
    delivered, declined, still_open = (SupportPackage.objects.get(pk=p.pk) for p in world.packages)
    # "Other" must be described and a refusal must have a reason (constraints): "-" remains.
    assert (delivered.item, delivered.description, delivered.status) == ("anders", "-", "geleverd")
    assert (declined.decline_reason, declined.status) == ("-", "afgewezen")
    assert (still_open.description, still_open.status) == ("", "aangevraagd")
    declined_event = HouseholdEvent.objects.get(household=world.household, kind="package_declined")
    assert "reason" not in declined_event.data
    assert declined_event.data["amount"] == "400.00"


def test_the_walk_covers_tables_without_a_model_too(text_columns):
    tables = {table for table, _column in text_columns()}
    assert {"cases_householdevent", "cases_accesslog", "partners_notification"} <= tables
    assert "cases_referral_signals" not in tables  # only ids: no text column to look in


@pytest.mark.parametrize("duty", ["open_referral", "open_case", "vroegsignalering"])
def test_erasure_is_refused_with_the_reason_while_a_duty_to_keep_applies(
    corporation,
    welfare,
    municipality,
    corporation_worker,
    welfare_worker,
    privacy_officer,
    household,
    categories,
    duty,
):
    lonely = categories[0]
    if duty == "vroegsignalering":
        from tests.factories import SignalCategoryFactory

        arrears = SignalCategoryFactory(code="huurachterstand", name="Huurachterstand")
        agree(corporation, municipality, arrears)
        signal = SignalFactory(household=household, category=arrears)
        referral = referral_send(
            actor=corporation_worker,
            household=household,
            to_organisation=municipality,
            signals=[signal],
            preconditions=dict.fromkeys(PRECONDITIONS, True),
        )
        referral_withdraw(actor=corporation_worker, referral=referral)
        expected = "without consent (vroegsignalering); that record must be kept until"
    else:
        agree(corporation, welfare, lonely)
        consent_record(
            actor=corporation_worker,
            household=household,
            receiving_organisation=welfare,
            purpose="Contact",
            categories=[lonely],
            given_how="mondeling",
            given_on=timezone.localdate(),
        )
        signal = SignalFactory(household=household, category=lonely)
        referral = referral_send(
            actor=corporation_worker, household=household, to_organisation=welfare, signals=[signal]
        )
        expected = "is still open: it must be completed or withdrawn first"
        if duty == "open_case":
            referral_accept(actor=welfare_worker, referral=referral)
            joint_cases.case_open(actor=corporation_worker, household=household)
            referral_complete(actor=welfare_worker, referral=referral, outcome="geholpen")
            expected = "The joint case coordinated by Woonstichting Testdorp is still open"
    reasons = erasure_refusals(actor=privacy_officer, household=household)
    assert len(reasons) == 1 and expected in reasons[0]
    with pytest.raises(ValidationError) as refused:
        household_erase(
            actor=privacy_officer, household=household, received_on=timezone.localdate()
        )
    assert refused.value.messages == reasons
    household.refresh_from_db()
    assert household.anonymised_at is None and household.residents.get().name == "Anna de Test"
    assert not AccessLog.objects.filter(action="erase").exists()


def test_a_refused_erasure_gives_every_reason_not_only_the_first(
    corporation, welfare, corporation_worker, welfare_worker, privacy_officer, household, categories
):
    lonely = categories[0]
    agree(corporation, welfare, lonely)
    consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose="Contact",
        categories=[lonely],
        given_how="mondeling",
        given_on=timezone.localdate(),
    )
    referral = referral_send(
        actor=corporation_worker,
        household=household,
        to_organisation=welfare,
        signals=[SignalFactory(household=household, category=lonely)],
    )
    referral_accept(actor=welfare_worker, referral=referral)
    joint_cases.case_open(actor=corporation_worker, household=household)
    with pytest.raises(ValidationError) as refused:
        household_erase(
            actor=privacy_officer, household=household, received_on=timezone.localdate()
        )
    messages = " ".join(refused.value.messages)
    assert len(refused.value.messages) == 2
    assert "is still open: it must be completed or withdrawn first" in messages
    assert "The joint case coordinated by Woonstichting Testdorp is still open" in messages


def test_only_the_corporations_privacy_officer_erases(
    household, corporation_worker, welfare, corporation
):
    welfare_officer = MembershipFactory(organisation=welfare, role="privacyfunctionaris")
    assert erasure_refusals(actor=corporation_worker, household=household) == [
        "Only a privacy officer may do this."
    ]
    assert erasure_refusals(actor=welfare_officer, household=household) == [
        "Only the household's corporation corrects or erases its data in Inclusie."
    ]


def test_an_erased_household_is_not_erased_twice(household, privacy_officer):
    household_erase(actor=privacy_officer, household=household, received_on=timezone.localdate())
    household.refresh_from_db()
    (reason,) = erasure_refusals(actor=privacy_officer, household=household)
    assert reason.startswith("This household's data was erased already")


def test_a_household_erased_leaves_no_emergency_reason(world, privacy_officer):
    household_erase(
        actor=privacy_officer, household=world.household, received_on=timezone.localdate()
    )
    assert EmergencyAccess.objects.get(pk=world.emergency.pk).reason == ""


# --- rectification -----------------------------------------------------------------------


def test_rectification_keeps_old_and_new_who_when_and_why(household, privacy_officer):
    anna = household.residents.get()
    fields = household_rectify(
        actor=privacy_officer,
        household=household,
        phone="06 2222 3333",
        email="",
        residents=[ResidentCorrection(anna.pk, "Anna de Tester", 1949)],
        reason="Bewoner belde: naam en geboortejaar verkeerd",
    )
    assert fields == ["phone", "resident_name", "resident_birth_year"]
    event = HouseholdEvent.objects.get(household=household, kind="data_corrected")
    assert event.user == privacy_officer.user
    assert event.organisation == privacy_officer.organisation
    assert event.data["changes"] == {
        "phone": ["", "06 2222 3333"],
        f"resident:{anna.pk}:name": ["Anna de Test", "Anna de Tester"],
        f"resident:{anna.pk}:birth_year": [1948, 1949],
    }
    assert event.data["reason"] == "Bewoner belde: naam en geboortejaar verkeerd"
    anna.refresh_from_db()
    assert (anna.name, anna.birth_year) == ("Anna de Tester", 1949)
    row = AccessLog.objects.get(action="update")
    assert (row.household_id, row.legal_basis) == (household.pk, "avg_verzoek")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": ""}, "Say why the data is corrected."),
        ({"phone": "bel mij"}, "Enter a phone number of digits, like 06 12345678."),
        ({}, "Nothing was changed."),
    ],
)
def test_rectification_refuses_bad_input_and_changes_nothing(
    household, privacy_officer, changes, message
):
    anna = household.residents.get()
    arguments = {
        "phone": household.phone,
        "email": household.email,
        "residents": [ResidentCorrection(anna.pk, anna.name, anna.birth_year)],
        "reason": "Verzoek bewoner",
        **changes,
    }
    with pytest.raises(ValidationError) as refused:
        household_rectify(actor=privacy_officer, household=household, **arguments)
    assert message in refused.value.messages
    assert not HouseholdEvent.objects.filter(kind="data_corrected").exists()
