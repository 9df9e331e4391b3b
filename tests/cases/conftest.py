"""What the tests of several cases modules share: a referral and its parts, a joint case, a
support package, a shared worker's split, the import's neighbourhoods, emergency access and the
access log's rows. The worlds (dashboards, privacy) are in tests/worlds/."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone, translation

from cases.access.log import log_access
from cases.models.ledger import add_months
from cases.services import joint_cases
from cases.services.consents import consent_record
from cases.services.emergency import emergency_access_open
from cases.services.ledger import hours_split_save
from cases.services.referrals import referral_accept, referral_send
from cases.services.retention import retention_terms_ensure
from partners.models import Membership, Neighbourhood
from tests.factories import (
    REFERRAL_MESSAGE,
    NeighbourhoodFactory,
    SignalCategoryFactory,
    SignalFactory,
    agree,
    consent_given,
    request_package,
)

# --- referrals ---------------------------------------------------------------------------------


@pytest.fixture
def arrears(db):
    return SignalCategoryFactory(code="huurachterstand", name="Huurachterstand / geldzorgen")


@pytest.fixture
def agreement(corporation, welfare, lonely, arrears):
    return agree(corporation, welfare, lonely, arrears)


@pytest.fixture
def consent(corporation_worker, household, welfare, lonely):
    return consent_given(corporation_worker, household, welfare, [lonely])


@pytest.fixture
def signal(household, lonely, corporation_worker):
    return SignalFactory(household=household, category=lonely, created_by=corporation_worker.user)


@pytest.fixture
def referral(corporation_worker, household, welfare, signal, agreement, consent):
    return referral_send(
        actor=corporation_worker,
        household=household,
        to_organisation=welfare,
        signals=[signal],
        message="Mevrouw zit veel alleen.",
    )


@pytest.fixture
def sent(corporation, welfare, corporation_worker, household, categories):
    """A referral to welfare on consent, of one of two signals."""
    lonely = categories[0]
    agree(corporation, welfare, lonely)
    consent = consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose="Eenzaamheid",
        categories=[lonely],
        given_how="schriftelijk",
        given_on=timezone.localdate(),
    )
    signal = SignalFactory(household=household, category=lonely, description="Zit veel alleen")
    other = SignalFactory(household=household, category=lonely, description="Geheim signaal")
    referral = referral_send(
        actor=corporation_worker, household=household, to_organisation=welfare, signals=[signal]
    )
    return {"referral": referral, "consent": consent, "other": other}


@pytest.fixture
def shared(corporation, welfare, corporation_worker, household, categories):
    """A referral to welfare on consent, with a message (REFERRAL_MESSAGE): the one route that
    shares the household with welfare. Returns (referral, consent)."""
    lonely = categories[0]
    agree(corporation, welfare, lonely)
    consent = consent_given(corporation_worker, household, welfare, [lonely])
    referral = referral_send(
        actor=corporation_worker,
        household=household,
        to_organisation=welfare,
        signals=[SignalFactory(household=household, category=lonely)],
        message=REFERRAL_MESSAGE,
    )
    return referral, consent


# --- joint cases -------------------------------------------------------------------------------


def _accepted_referral(corporation_worker, household, organisation, worker, category):
    signal = SignalFactory(household=household, category=category)
    referral = referral_send(
        actor=corporation_worker,
        household=household,
        to_organisation=organisation,
        signals=[signal],
    )
    return referral_accept(actor=worker, referral=referral)


@pytest.fixture
def welfare_referral(corporation, welfare, corporation_worker, welfare_worker, household, lonely):
    agree(corporation, welfare, lonely)
    consent_given(corporation_worker, household, welfare, [lonely])
    return _accepted_referral(corporation_worker, household, welfare, welfare_worker, lonely)


@pytest.fixture
def care_referral(corporation, care, corporation_worker, care_worker, household, lonely):
    agree(corporation, care, lonely)
    consent_given(corporation_worker, household, care, [lonely])
    return _accepted_referral(corporation_worker, household, care, care_worker, lonely)


@pytest.fixture
def case(corporation_worker, household, welfare_referral):
    return joint_cases.case_open(actor=corporation_worker, household=household)


@pytest.fixture
def full_case(case, corporation_worker, care, care_referral, welfare):
    """Corporation, welfare (referral) and care (referral) take part."""
    joint_cases.case_add_participant(actor=corporation_worker, case=case, organisation=welfare)
    joint_cases.case_add_participant(actor=corporation_worker, case=case, organisation=care)
    return case


# --- referring onward (ADR 0023) -----------------------------------------------------------


@pytest.fixture
def onward_ready(welfare_referral, welfare, care, corporation_worker, household, lonely):
    """Welfare accepted the corporation's referral; it has an agreement with care, and the
    household consented to care: welfare may refer onward to care. Returns welfare's referral."""
    agree(welfare, care, lonely)
    consent_given(corporation_worker, household, care, [lonely])
    return welfare_referral


# --- support packages --------------------------------------------------------------------------


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


@pytest.fixture
def package(corporation_worker, household, welfare, referred):
    return request_package(corporation_worker, household, welfare)


# --- a shared worker's hours --------------------------------------------------------------------


@pytest.fixture
def since_last_year(shared_worker):
    """The shared worker has been a member of their three organisations for a year."""
    Membership.objects.filter(user=shared_worker.user).update(
        started_at=timezone.now() - datetime.timedelta(days=400)
    )
    return shared_worker


@pytest.fixture
def split(since_last_year, admin, corporation, welfare, municipality):
    with translation.override("en"):
        return hours_split_save(
            actor=admin,
            user=since_last_year.user,
            hours_per_week=Decimal("16"),
            valid_from=add_months(timezone.localdate().replace(day=1), -3),
            shares={corporation.pk: 50, welfare.pk: 30, municipality.pk: 20},
        )


# --- household imports -------------------------------------------------------------------------


@pytest.fixture
def buurten(db):
    wijk = NeighbourhoodFactory(
        cbs_code="WK990101", name="Centrum", kind=Neighbourhood.Kind.WIJK, municipality="Testdorp"
    )
    buurt = NeighbourhoodFactory(
        cbs_code="BU99010101",
        name="Oude Haven",
        kind=Neighbourhood.Kind.BUURT,
        parent=wijk,
        municipality="Testdorp",
    )
    return wijk, buurt


# --- emergency access ------------------------------------------------------------------------


@pytest.fixture
def opened(corporation_worker, other_household):
    """The corporation's worker opened another corporation's household in an emergency."""
    return emergency_access_open(
        actor=corporation_worker,
        household=other_household,
        reason="Buren horen al twee dagen niets; de deur is dicht.",
    )


# --- the access log ---------------------------------------------------------------------------


@pytest.fixture
def row(corporation_worker, household):
    """An access-log row: the corporation's worker viewed the household."""
    return log_access(actor=corporation_worker, action="view", household=household, obj=household)


@pytest.fixture
def terms(db):
    """The default terms (a transactional test elsewhere may have flushed the seeded rows)."""
    return retention_terms_ensure()


def _insert_row(*, at, user, organisation) -> int:
    """An access-log row written at `at` (INSERT is what the table allows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_accesslog (at, user_id, role, organisation_id, action, object_type,"
            " object_id, legal_basis, origin, detail) VALUES"
            " (%s, %s, 'medewerker', %s, 'view', '', '', 'geen', '', '{}') RETURNING id",
            [at, user.pk, organisation.pk],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def rows(terms, corporation_worker):
    now = timezone.now()
    user, organisation = corporation_worker.user, corporation_worker.organisation
    return {
        "old": _insert_row(
            at=now - datetime.timedelta(days=61 * 31), user=user, organisation=organisation
        ),
        "young": _insert_row(
            at=now - datetime.timedelta(days=59 * 30), user=user, organisation=organisation
        ),
        "new": _insert_row(at=now, user=user, organisation=organisation),
    }
