"""The AVG overview of a household (issue 7, ADR 0010): it holds every kind of data, a partner
sees its own records, an organisation holding nothing finds nothing, and the queries do not
grow with the rows."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from cases.models import AccessLog, Referral
from cases.selectors import avg as selectors_avg
from cases.services.avg import household_rectify
from cases.workflow import (
    DeclineReason,
    PackageItem,
    ReferralOutcome,
    Severity,
    SignalStatus,
    VisitKind,
    VisitOutcome,
)
from tests.factories import MembershipFactory, SignalFactory

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
        "help_requests",
        "history",
        "emergency",
        "accesses",
    ]
    text = str(overview.as_data())
    for fragment in world.ORIGINALS:
        if fragment in (world.OLD_NAME, world.OLD_PHONE):
            continue
        assert fragment in text, fragment
    # The rectification's history shows the old and the new value.
    assert world.OLD_NAME in text and world.OLD_PHONE in text
    assert {section: s.total for section, s in sections.items() if not s.total} == {}
    packages = {row["item"]: row for row in sections["support_packages"].rows}
    assert set(packages) == {"other", "floor covering", "white goods"}
    delivered = packages["other"]
    assert delivered["requested_at"] <= delivered["decided_at"]
    assert {key: value for key, value in delivered.items() if not key.endswith("_at")} == {
        "requested_by": "Woonstichting Testdorp",
        "item": "other",
        "description": world.TEXTS["package_description"],
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


def test_the_history_names_statuses_and_other_codes_in_words(world, privacy_officer):
    """Issue 16: the history showed "in_behandeling" where the household page says "in
    progress"; declined referrals, outcomes, visits, severities and packages kept codes too."""
    overview = selectors_avg.avg_overview(
        actor=privacy_officer, pk=world.household.pk, export="json"
    )
    (history,) = [section for section in overview.sections if section.key == "history"]
    details = {(row["event"], row["details"]) for row in history.rows}
    assert ("signal status changed", "open → referred") in details
    assert ("signal status changed", "referred → in progress") in details
    assert ("home visit logged", "regular · signals") in details
    codes = {
        value
        for choices in (
            SignalStatus,
            Severity,
            VisitKind,
            VisitOutcome,
            DeclineReason,
            ReferralOutcome,
            PackageItem,
        )
        for value, label in choices.choices
        if value != str(label)
    }
    for event, text in details:
        assert not set(re.split(r" · | → ", text)) & codes, (event, text)


def test_a_partner_sees_its_own_records_but_not_the_household_after_the_sharing_ended(
    world, welfare, settings
):
    officer = MembershipFactory(organisation=welfare, role="privacyfunctionaris")
    overview = selectors_avg.avg_overview(actor=officer, pk=world.household.pk)
    assert overview.visible, "within REFERRAL_ACCESS_DAYS_AFTER_CLOSE of the completed referral"
    assert world.PHONE in str([section.as_data() for section in overview.sections])
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
    assert world.PHONE not in text and world.NAME not in text
    assert world.TEXTS["signal_description"] not in text  # no longer shared
    assert world.TEXTS["referral_message"] in text  # the referral is welfare's record too
    assert world.TEXTS["case_note"] in text  # a note for all participants
    assert world.TEXTS["emergency_reason"] not in text  # care's emergency access
    # The packages welfare pays are its own records; the corporation's own one is not shown.
    assert world.TEXTS["package_description"] in text
    assert world.TEXTS["package_decline_reason"] in text
    assert world.TEXTS["package_open"] not in text
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
