"""The privacy world: a household with every kind of data Inclusie holds, made through the
services, each free text a recognisable fragment; and a walk over every text and JSON column of
every table, for the tests of erasure, retention and the AVG overview (ADR 0010). Registered as a
plugin in tests/conftest.py, so its fixtures are everyone's."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from cases.models import (
    EmergencyAccess,
    HomeVisit,
    Household,
    HouseholdImport,
    JointCase,
    Referral,
    Resident,
    Signal,
    SupportPackage,
)
from cases.services import joint_cases
from cases.services.avg import ResidentCorrection, household_rectify
from cases.services.consents import consent_record
from cases.services.emergency import emergency_access_open
from cases.services.help_requests import help_request_create
from cases.services.matches import match_end, match_propose
from cases.services.referrals import (
    referral_accept,
    referral_complete,
    referral_decline,
    referral_send,
)
from cases.services.signals import signal_change_status
from cases.services.support import (
    support_package_approve,
    support_package_decline,
    support_package_deliver,
    support_package_request,
)
from cases.services.visits import SignalInput, home_visit_log
from tests.factories import (
    ComplexFactory,
    HelperFactory,
    HouseholdFactory,
    ResidentFactory,
    agree,
)

NAME = "Anna Zonnebloem"
OTHER_NAME = "Bert Zonnebloem"
OLD_NAME = "Anna Zonebloem"  # the misspelling the rectification corrects
PHONE = "06 9876 5432"
OLD_PHONE = "06 1111 2222"
EMAIL = "anna.zonnebloem@voorbeeld.example"
STREET = "Klaprooslaan"
POSTCODE = "9901 ZB"
TENANCY = "HC-ZONNE-77"
# Free text typed somewhere, one fragment per place (all ASCII, so json columns match too).
TEXTS = {
    "visit_notes": "Fragment-bezoek-kraan lekt bij de keuken",
    "signal_description": "Fragment-signaal-alleen sinds de verhuizing",
    "signal_reason": "Fragment-reden-zoon woont weer thuis",
    "consent_purpose": "Fragment-doel-ondersteuning bij eenzaamheid",
    "referral_message": "Fragment-bericht-graag bellen na tienen",
    "decline_reason": "Fragment-afwijzing-wachtlijst tot maart",
    "outcome_note": "Fragment-uitkomst-wekelijks koffie in de buurtkamer",
    "case_note": "Fragment-notitie-dochter helpt met post",
    "case_action": "Fragment-actie-budgetcoach regelen",
    "case_summary": "Fragment-samenvatting-zelfstandig verder",
    "emergency_reason": "Fragment-noodreden-buren horen al twee dagen niets, deur dicht",
    "rectify_reason": "Fragment-correctie-bewoner belde over tikfout",
    "package_description": "Fragment-pakket-hoog bed met valbeveiliging",
    "package_decline_reason": "Fragment-pakketreden-eerst de schuldhulp afronden",
    "package_open": "Fragment-pakket-open-wasmachine met droger",
    "help_description": "Fragment-hulpvraag-samen naar de markt",
    "help_place": "Fragment-waar-achterom via de tuin",
    "help_end_reason": "Fragment-einde-verhuist naar haar zus",
}
ORIGINALS = [
    NAME,
    OTHER_NAME,
    OLD_NAME,
    PHONE,
    OLD_PHONE,
    EMAIL,
    TENANCY,
    STREET,
    POSTCODE,
    *TEXTS.values(),
]


@dataclass
class PrivacyWorld:
    """The household of ORIGINALS and what was made about it."""

    household: Household
    referrals: list = field(default_factory=list)
    case: object = None
    emergency: object = None
    packages: list = field(default_factory=list)
    # The fragments, for the tests to look for.
    NAME = NAME
    OLD_NAME = OLD_NAME
    PHONE = PHONE
    OLD_PHONE = OLD_PHONE
    TEXTS = TEXTS
    ORIGINALS = ORIGINALS


def _build_privacy_world(
    *,
    corporation,
    welfare,
    care,
    neighbourhood,
    corporation_worker,
    welfare_worker,
    care_worker,
    privacy_officer,
    categories,
) -> PrivacyWorld:
    """The household of ORIGINALS: residents, rectified contact data, a home visit with notes
    and signals (one closed with a reason), consent, a declined and a completed referral, a
    joint case with a note and an action, closed with a summary, support packages paid by
    welfare (one of "other", delivered; one declined with a reason) and one the corporation has
    still to decide, an emergency access that has ended, a request for informal help with an
    ended and a live match. Nothing open remains that stops an erasure (a package awaiting its
    decision or a request for informal help does not)."""
    lonely, other = categories[0], categories[2]
    household = HouseholdFactory(
        corporation=corporation,
        street=STREET,
        house_number=7,
        postcode=POSTCODE,
        neighbourhood=neighbourhood,
        complex=ComplexFactory(corporation=corporation, neighbourhood=neighbourhood),
        tenancy_reference=TENANCY,
        phone=OLD_PHONE,
        email=EMAIL,
    )
    anna = ResidentFactory(household=household, name=OLD_NAME, birth_year=1950)
    ResidentFactory(household=household, name=OTHER_NAME, birth_year=1949, is_main_tenant=False)
    household_rectify(
        actor=privacy_officer,
        household=household,
        phone=PHONE,
        email=EMAIL,
        residents=[ResidentCorrection(anna.pk, NAME, 1950)],
        reason=TEXTS["rectify_reason"],
    )
    today = timezone.localdate()
    home_visit_log(
        actor=corporation_worker,
        household=household,
        visited_on=today,
        kind="regulier",
        outcome="signalen",
        notes=TEXTS["visit_notes"],
        signals=[
            SignalInput(lonely, "midden", TEXTS["signal_description"]),
            SignalInput(other, "laag", "Fragment-tweede-signaal"),
        ],
    )
    first, second = household.signals.order_by("pk")
    signal_change_status(
        actor=corporation_worker, signal=second, status="gesloten", reason=TEXTS["signal_reason"]
    )
    agree(corporation, welfare, lonely)
    consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose=TEXTS["consent_purpose"],
        categories=[lonely],
        given_how="schriftelijk",
        given_on=today,
    )
    declined = referral_send(
        actor=corporation_worker,
        household=household,
        to_organisation=welfare,
        signals=[first],
        message=TEXTS["referral_message"],
    )
    referral_decline(actor=welfare_worker, referral=declined, reason=TEXTS["decline_reason"])
    completed = referral_send(
        actor=corporation_worker, household=household, to_organisation=welfare, signals=[first]
    )
    referral_accept(actor=welfare_worker, referral=completed)
    case = joint_cases.case_open(
        actor=corporation_worker, household=household, coordinator_organisation=welfare
    )
    joint_cases.note_add(actor=welfare_worker, case=case, text=TEXTS["case_note"], visibility="all")
    joint_cases.action_add(
        actor=welfare_worker,
        case=case,
        description=TEXTS["case_action"],
        owner_organisation=welfare,
        due_on=today + datetime.timedelta(days=7),
    )
    packages = _packages(household, corporation, welfare, corporation_worker, welfare_worker)
    _informal_help(household, first, corporation_worker)
    referral_complete(
        actor=welfare_worker, referral=completed, outcome="geholpen", note=TEXTS["outcome_note"]
    )
    joint_cases.case_close(actor=welfare_worker, case=case, summary=TEXTS["case_summary"])
    emergency = emergency_access_open(
        actor=care_worker, household=household, reason=TEXTS["emergency_reason"]
    )
    emergency.__class__.objects.filter(pk=emergency.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=30),
        ends_at=timezone.now() - datetime.timedelta(hours=6),
    )
    # An upload of last week whose error list quotes the household's rejected cells.
    HouseholdImport.objects.create(
        organisation=corporation,
        created_by=corporation_worker.user,
        file_name="huurders.csv",
        encoding="utf-8",
        delimiter=";",
        status=HouseholdImport.Status.INVALID,
        errors=[
            {
                "row": 3,
                "column": "huisnummer",
                "code": "house_number",
                "params": {"value": f"{STREET} 7x", "postcode": POSTCODE},
                "message": f"{STREET} 7x is geen huisnummer",
            }
        ],
    )
    return PrivacyWorld(
        household=household,
        referrals=[declined, completed],
        case=case,
        emergency=emergency,
        packages=packages,
    )


def _informal_help(household, signal, worker) -> None:
    """A request for informal help from the open signal, where and what written down; one
    helper proposed and ended with a reason, another still proposed (ADR 0033)."""
    request = help_request_create(
        actor=worker,
        household=household,
        signal=signal,
        kind="boodschappen",
        description=TEXTS["help_description"],
        place=TEXTS["help_place"],
        consent_given_on=timezone.localdate(),
        consent_how="mondeling",
    )
    ended = match_propose(
        actor=worker, request=request, helper=HelperFactory(organisation=worker.organisation)
    )
    match_end(actor=worker, match=ended, reason=TEXTS["help_end_reason"], side="huishouden")
    match_propose(
        actor=worker, request=request, helper=HelperFactory(organisation=worker.organisation)
    )


def _packages(household, corporation, welfare, corporation_worker, welfare_worker) -> list:
    """Welfare pays (while its referral is open): a bed of "other", delivered today, and floor
    covering it declines; the corporation has still to decide about white goods."""

    def request(item, amount, payer, description=""):
        return support_package_request(
            actor=corporation_worker,
            household=household,
            item=item,
            amount=Decimal(amount),
            paying_organisation=payer,
            description=description,
        )

    delivered = request("anders", "640.00", welfare, TEXTS["package_description"])
    support_package_approve(actor=welfare_worker, package=delivered)
    support_package_deliver(actor=corporation_worker, package=delivered)
    declined = request("vloerbedekking", "400.00", welfare)
    support_package_decline(
        actor=welfare_worker, package=declined, reason=TEXTS["package_decline_reason"]
    )
    still_open = request("witgoed", "550.00", corporation, TEXTS["package_open"])
    return [delivered, declined, still_open]


@pytest.fixture
def privacy_world(
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
    """A household with every kind of data Inclusie holds (see _build_privacy_world)."""
    return _build_privacy_world(
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


def _text_columns() -> list[tuple[str, str]]:
    """Every text, varchar and json column of every table in the database (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
            ORDER BY c.table_name, c.column_name
            """
        )
        return cursor.fetchall()


def _found_anywhere(fragments) -> list[tuple[str, str, str]]:
    """(table, column, fragment) for each fragment still found in any text or json column."""
    found = []
    columns = _text_columns()
    with connection.cursor() as cursor:
        for table, column in columns:
            for fragment in fragments:
                cursor.execute(
                    f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE %s LIMIT 1',  # noqa: S608
                    [f"%{fragment}%"],
                )
                if cursor.fetchone():
                    found.append((table, column, fragment))
    return found


@pytest.fixture
def text_columns(db):
    """Every text, varchar and json column of every table: text_columns() -> [(table, column)]."""
    return _text_columns


@pytest.fixture
def found_anywhere(db):
    """found_anywhere(fragments) -> [(table, column, fragment)] still found in any text or json
    column of any table."""
    return _found_anywhere


def _dashboard_counts():
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


@pytest.fixture
def dashboard_counts(db):
    """dashboard_counts() -> what dashboards and the ledger count, to compare before and after."""
    return _dashboard_counts
