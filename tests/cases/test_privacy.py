"""The household's rights and emergency access (issue 7, ADR 0010): rectification keeps its
history; erasure leaves no name, phone number or free text in any column of any table, keeps the
counts, and is refused with the reason while a duty to keep applies; the AVG overview holds
every kind of data; emergency access is logged, notified and lasts its window only."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cases.access.bases import PRECONDITIONS
from cases.models import (
    AccessLog,
    EmergencyAccess,
    HomeVisit,
    Household,
    HouseholdEvent,
    JointCase,
    Referral,
    Resident,
    Signal,
    SupportPackage,
)
from cases.selectors import avg as selectors_avg
from cases.selectors.households import HouseholdFilters, household_search_page
from cases.selectors.ledger import Period, ledger_for
from cases.services import joint_cases
from cases.services.avg import (
    ResidentCorrection,
    erasure_refusals,
    household_erase,
    household_rectify,
)
from cases.services.consents import consent_record
from cases.services.emergency import emergency_access_open
from cases.services.referrals import (
    referral_accept,
    referral_complete,
    referral_send,
    referral_withdraw,
)
from partners.models import Notification
from tests.cases import privacy_world as world_
from tests.cases.test_referrals import agree
from tests.factories import MembershipFactory, SignalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Services called directly speak the message ids."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(
    corporation,
    welfare,
    care,
    neighbourhood,
    corporation_worker,
    welfare_worker,
    care_worker,
    privacy_officer,
    categories,
):
    return world_.build(
        corporation=corporation,
        welfare=welfare,
        care=care,
        neighbourhood=neighbourhood,
        corporation_worker=corporation_worker,
        welfare_worker=welfare_worker,
        care_worker=care_worker,
        privacy_officer=privacy_officer,
        categories=categories,
    )


def dashboard_counts():
    """What dashboards and the ledger count: signals per category and status, referrals per
    status and outcome, visits per kind and outcome, cases per status, support packages with
    their amounts, payers and dates, residents and households."""
    return {
        "signals": Counter(Signal.objects.values_list("category_id", "status", "severity")),
        "referrals": Counter(Referral.objects.values_list("status", "outcome", "legal_basis")),
        "visits": Counter(HomeVisit.objects.values_list("kind", "outcome", "visited_on")),
        "cases": Counter(JointCase.objects.values_list("status", flat=True)),
        "residents": Resident.objects.count(),
        "households": Counter(Household.objects.values_list("neighbourhood_id", "corporation_id")),
        "emergency": EmergencyAccess.objects.count(),
        "packages": Counter(
            SupportPackage.objects.values_list(
                "item",
                "amount",
                "status",
                "paying_organisation_id",
                "requested_for_id",
                "requested_at",
                "decided_at",
                "delivered_on",
            )
        ),
    }


# --- erasure -------------------------------------------------------------------------------


def test_the_world_has_every_fragment_somewhere_before_erasure(world):
    """The walk finds what it looks for: each original is in the database before erasure."""
    found = {fragment for _table, _column, fragment in world_.found_anywhere(world_.ORIGINALS)}
    # The misspelled name and the old phone number live on only in the rectification's history.
    assert found == set(world_.ORIGINALS)


def test_after_erasure_no_original_is_found_in_any_text_column_of_any_table(
    world, privacy_officer, login, corporation_worker
):
    # A search by name and by address leaves a row in the append-only log: a digest, not text.
    client = login(corporation_worker)
    client.get("/huishoudens/", {"q": world_.NAME})
    client.get("/huishoudens/", {"q": "9901ZB 7"})
    before = dashboard_counts()
    household_erase(
        actor=privacy_officer, household=world.household, received_on=timezone.localdate()
    )
    assert world_.found_anywhere(world_.ORIGINALS) == []
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


def test_the_walk_covers_tables_without_a_model_too():
    tables = {table for table, _column in world_.text_columns()}
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


# --- the AVG overview ----------------------------------------------------------------------


def test_the_overview_holds_every_kind_of_data_the_household_has(world, privacy_officer):
    overview = selectors_avg.avg_overview(
        actor=privacy_officer, pk=world.household.pk, export="json"
    )
    sections = {section.key: section for section in overview.sections}
    assert list(sections) == [
        "household",
        "residents",
        "visits",
        "signals",
        "consents",
        "referrals",
        "joint_cases",
        "case_actions",
        "case_notes",
        "support_packages",
        "history",
        "emergency",
        "accesses",
    ]
    text = str(overview.as_data())
    for fragment in world_.ORIGINALS:
        if fragment in (world_.OLD_NAME, world_.OLD_PHONE):
            continue
        assert fragment in text, fragment
    # The rectification's history shows the old and the new value.
    assert world_.OLD_NAME in text and world_.OLD_PHONE in text
    assert {section: s.total for section, s in sections.items() if not s.total} == {}
    packages = {row["item"]: row for row in sections["support_packages"].rows}
    assert set(packages) == {"other", "floor covering", "white goods"}
    delivered = packages["other"]
    assert delivered["requested_at"] <= delivered["decided_at"]
    assert {key: value for key, value in delivered.items() if not key.endswith("_at")} == {
        "requested_by": "Woonstichting Testdorp",
        "item": "other",
        "description": world_.TEXTS["package_description"],
        "amount": Decimal("640.00"),
        "paid_by": "Welzijn Testdorp",
        "status": "delivered",
        "decline_reason": "",
        "delivered_on": timezone.localdate(),
    }
    assert packages["floor covering"]["status"] == "declined"
    # Who accessed it: organisation, role, action and basis; no names of workers.
    accesses = sections["accesses"].rows
    assert {"Welzijn Testdorp", "Woonstichting Testdorp", "Zorg Testdorp"} <= {
        row["organisation"] for row in accesses
    }
    assert "emergency access" in {row["legal_basis"] for row in accesses}
    for worker in ("Sanne Test", "Fatma Test", "Daan Test"):
        assert worker not in str(sections["accesses"].as_data())
    assert AccessLog.objects.filter(action="export", household=world.household).count() == 1


def test_a_partner_sees_its_own_records_but_not_the_household_after_the_sharing_ended(
    world, welfare, settings
):
    officer = MembershipFactory(organisation=welfare, role="privacyfunctionaris")
    overview = selectors_avg.avg_overview(actor=officer, pk=world.household.pk)
    assert overview.visible, "within REFERRAL_ACCESS_DAYS_AFTER_CLOSE of the completed referral"
    assert world_.PHONE in str([section.as_data() for section in overview.sections])
    Referral.objects.filter(household=world.household).update(
        closed_at=timezone.now()
        - datetime.timedelta(days=settings.REFERRAL_ACCESS_DAYS_AFTER_CLOSE + 1)
    )
    overview = selectors_avg.avg_overview(actor=officer, pk=world.household.pk)
    sections = {section.key: section for section in overview.sections}
    assert not overview.visible
    assert "residents" not in sections and "visits" not in sections
    assert sections["household"].rows == []
    text = str([section.as_data() for section in overview.sections])
    assert world_.PHONE not in text and world_.NAME not in text
    assert world_.TEXTS["signal_description"] not in text  # no longer shared
    assert world_.TEXTS["referral_message"] in text  # the referral is welfare's record too
    assert world_.TEXTS["case_note"] in text  # a note for all participants
    assert world_.TEXTS["emergency_reason"] not in text  # care's emergency access
    # The packages welfare pays are its own records; the corporation's own one is not shown.
    assert world_.TEXTS["package_description"] in text
    assert world_.TEXTS["package_decline_reason"] in text
    assert world_.TEXTS["package_open"] not in text
    assert sections["support_packages"].total == 2


def test_a_household_the_organisation_holds_nothing_about_is_not_found(
    household, other_household, privacy_officer, care
):
    from django.http import Http404

    with pytest.raises(Http404):
        selectors_avg.avg_overview(actor=privacy_officer, pk=other_household.pk)
    care_officer = MembershipFactory(organisation=care, role="privacyfunctionaris")
    with pytest.raises(Http404):
        selectors_avg.avg_overview(actor=care_officer, pk=household.pk)
    assert not AccessLog.objects.filter(action__in=["view", "export"]).exists()


def test_the_overview_takes_the_same_number_of_queries_for_1_and_20_rows_per_section(
    household, privacy_officer, corporation_worker, categories
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as context:
            selectors_avg.avg_overview(actor=privacy_officer, pk=household.pk, export="json")
        return len(context.captured_queries)

    SignalFactory(household=household, category=categories[0])
    one = queries()
    for _ in range(19):
        SignalFactory(household=household, category=categories[0])
        household_rectify(
            actor=privacy_officer,
            household=household,
            phone=f"06 1234 {5000 + _:04d}",
            email="",
            residents=[],
            reason="Nieuw nummer",
        )
    assert queries() == one


# --- emergency access ----------------------------------------------------------------------


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
    access = emergency_access_open(actor=care_worker, household=other_household, reason="x" * 20)
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
    count = EmergencyAccess.objects.count()
    with pytest.raises(ValidationError) as refused:
        emergency_access_open(actor=actor, household=target, reason=reason)
    assert message in " ".join(refused.value.messages)
    assert EmergencyAccess.objects.count() == count


def test_a_household_erased_leaves_no_emergency_reason(world, privacy_officer):
    household_erase(
        actor=privacy_officer, household=world.household, received_on=timezone.localdate()
    )
    assert EmergencyAccess.objects.get(pk=world.emergency.pk).reason == ""


def test_a_search_never_shows_another_corporations_household_opened_in_an_emergency(
    corporation_worker, other_household
):

    filters = HouseholdFilters(query=f"{other_household.postcode} {other_household.house_number}")
    emergency_access_open(
        actor=corporation_worker, household=other_household, reason="Brandweer belt, deur dicht."
    )
    page = household_search_page(actor=corporation_worker, filters=filters, page=None)
    assert other_household.pk not in [h.pk for h in page]
