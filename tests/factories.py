"""Factories for fictional test data, and the helpers that make it for the tests of several
modules: an agreement, a consent, a support package, emergency accesses up to the limit, the
ledger's worked example and the files of a household import."""

import datetime
from datetime import date
from decimal import Decimal
from pathlib import Path

import factory
from django.utils import timezone

from cases.models import (
    Agreement,
    AvoidedCost,
    HourlyRate,
    HoursSplit,
    HoursSplitShare,
    Referral,
    Signal,
    SignalCategory,
    SupportPackage,
    WorkedHours,
)
from cases.services.consents import consent_record
from cases.services.emergency import emergency_access_open
from cases.services.imports import household_import_create, household_import_start
from cases.services.imports.parsing import parse
from cases.services.support import support_package_request
from partners.models import Membership, Neighbourhood, Notification, Organisation, User

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.CORPORATIE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@test.example")
    name = factory.Sequence(lambda n: f"Persoon {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEDEWERKER


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood
        django_get_or_create = ["cbs_code"]

    name = factory.Sequence(lambda n: f"Wijk {n}")
    kind = Neighbourhood.Kind.WIJK
    cbs_code = factory.Sequence(lambda n: f"WK99{n:04d}")
    municipality = "Teststad"


# --- cases ----------------------------------------------------------------------------------


class ComplexFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Complex"

    corporation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"Complex {n}")
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Household"

    corporation = factory.SubFactory(OrganisationFactory)
    # Never "HC-000012", the reference of the cast's household (tests/conftest.py).
    tenancy_reference = factory.Sequence(lambda n: f"HF-{n:06d}")
    street = "Teststraat"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "9901 AB"
    town = "Testdorp"
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Resident"

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"Bewoner {n}")
    birth_year = 1980
    is_main_tenant = True


class SignalCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.SignalCategory"
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"categorie-{n}")
    name = factory.Sequence(lambda n: f"Categorie {n}")
    life_area = "sociaal"
    usual_partner_kind = "welzijn"


class SignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Signal"

    household = factory.SubFactory(HouseholdFactory)
    category = factory.SubFactory(SignalCategoryFactory)
    severity = "midden"
    description = "Gezien bij huisbezoek"
    created_by = factory.LazyFunction(lambda: UserFactory(email="auteur@test.example"))
    organisation = factory.SelfAttribute("household.corporation")


class HelperFactory(factory.django.DjangoModelFactory):
    """A confirmed helper (drager); services are the way in for the tests of registering."""

    class Meta:
        model = "cases.Helper"

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Sequence(lambda n: f"Helper{n}")
    surname = "Test"
    email = factory.Sequence(lambda n: f"helper{n}@test.example")
    offers = factory.LazyFunction(lambda: ["boodschappen"])
    days = factory.LazyFunction(lambda: ["ma", "di", "wo", "do", "vr"])
    day_parts = factory.LazyFunction(lambda: ["ochtend", "middag"])
    reach_metres = 1000
    street_address = factory.Sequence(lambda n: f"Helperstraat {n + 1}")
    postcode = "9901 AB"
    consent_given_on = factory.LazyFunction(timezone.localdate)
    consent_how = "mondeling"
    consent_recorded_by = factory.SubFactory(UserFactory)
    status = "actief"
    confirmed_at = factory.LazyFunction(timezone.now)


class HelpRequestFactory(factory.django.DjangoModelFactory):
    """An open request for informal help from a signal of its household."""

    class Meta:
        model = "cases.HelpRequest"

    household = factory.SubFactory(HouseholdFactory)
    organisation = factory.SelfAttribute("household.corporation")
    signal = factory.SubFactory(SignalFactory, household=factory.SelfAttribute("..household"))
    kind = "boodschappen"
    description = "Boodschappen op maandag"
    days = factory.LazyFunction(lambda: ["ma"])
    day_parts = factory.LazyFunction(lambda: ["ochtend"])
    consent_given_on = factory.LazyFunction(timezone.localdate)
    consent_how = "mondeling"
    consent_recorded_by = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("consent_recorded_by")


class HelpMatchFactory(factory.django.DjangoModelFactory):
    """A helper proposed for a request (status "voorgesteld" unless told otherwise)."""

    class Meta:
        model = "cases.HelpMatch"

    request = factory.SubFactory(HelpRequestFactory)
    helper = factory.SubFactory(
        HelperFactory, organisation=factory.SelfAttribute("..request.organisation")
    )
    proposed_by = factory.SelfAttribute("request.created_by")


# The message of the referral tests/cases/conftest.py's `shared` sends.
REFERRAL_MESSAGE = "Mevrouw is vaak alleen; bel eerst haar dochter"


# --- helpers the tests of several modules share ---------------------------------------------

# Every precondition of a referral without consent (vroegsignalering) fulfilled.
PRECONDITIONS = {
    "contact_attempted": True,
    "reminder_sent": True,
    "offer_made": True,
    "no_objection": True,
}


def agree(first, second, *categories, days=5):
    """An agreement in force between two organisations about these categories."""
    agreement = Agreement.objects.create(
        first=first,
        second=second,
        response_days=days,
        valid_from=timezone.localdate() - datetime.timedelta(days=30),
        created_by=MembershipFactory(organisation=first).user,
    )
    agreement.categories.set(categories)
    return agreement


def consent_given(actor, household, organisation, categories, **kwargs):
    """The household's consent to share with `organisation`, recorded by `actor` today."""
    data = {
        "purpose": "Ondersteuning bij eenzaamheid",
        "given_how": "mondeling",
        "given_on": timezone.localdate(),
    } | kwargs
    return consent_record(
        actor=actor,
        household=household,
        receiving_organisation=organisation,
        categories=categories,
        **data,
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


EMERGENCY_REASON = "Buren horen al twee dagen niets; de deur is dicht."


def in_emergency(actor, corporation, count=1, reason=EMERGENCY_REASON):
    """The actor opens `count` new households of the corporation in an emergency; what each
    open gave (an access, or a request past the limit)."""
    return [
        emergency_access_open(
            actor=actor, household=HouseholdFactory(corporation=corporation), reason=reason
        )
        for _ in range(count)
    ]


def received(user, kind=None):
    """The notifications a person received (of one kind)."""
    rows = Notification.objects.filter(recipient=user)
    return rows.filter(kind=kind) if kind else rows


# --- the ledger's worked example (ADR 0009), first quarter of 2025 ---------------------------

LONG_AGO = date(2024, 1, 1)


def moment(*args):
    return timezone.make_aware(datetime.datetime(*args))


def ledger_agreement(first, second):
    return Agreement.objects.create(
        first=first,
        second=second,
        response_days=5,
        valid_from=LONG_AGO,
        created_by=UserFactory(email="afspraak@test.example"),
    )


def _rate(organisation, amount, month):
    return HourlyRate.objects.create(
        organisation=organisation, amount=Decimal(amount), valid_from=month, set_by=_someone()
    )


def _estimate(organisation, code, amount, month=LONG_AGO, source="Testbron"):
    return AvoidedCost.objects.create(
        organisation=organisation,
        category=SignalCategory.objects.get(code=code),
        amount=Decimal(amount),
        source=source,
        valid_from=month,
        set_by=_someone(),
    )


def _someone():
    return UserFactory(email="beheerder.test@test.example")


def resolved(household, code, when, *, helped_by=None, outcome="geholpen", agreement_=None):
    """A signal resolved at `when`; `helped_by` completed a referral about it first."""
    signal = SignalFactory(
        household=household, category=SignalCategory.objects.get(code=code), status="opgelost"
    )
    Signal.objects.filter(pk=signal.pk).update(status_changed_at=when)
    if helped_by is not None:
        referral = Referral.objects.create(
            household=household,
            from_organisation=household.corporation,
            to_organisation=helped_by,
            agreement=agreement_,
            legal_basis="vroegsignalering",
            status="afgerond",
            outcome=outcome,
            deadline=when.date(),
            sent_by=signal.created_by,
            closed_at=when - datetime.timedelta(days=3),
        )
        referral.signals.add(signal)
    return signal


def _package(household, payer, amount, status, delivered_on=None):
    return SupportPackage.objects.create(
        household=household,
        item="inrichting",
        amount=Decimal(amount),
        paying_organisation=payer,
        status=status,
        delivered_on=delivered_on,
        decline_reason="Nee" if status == "afgewezen" else "",
        requested_by=_someone(),
        requested_for=household.corporation,
    )


def build_ledger_example(
    corporation, welfare, municipality, care, third_corporation, household, shared_worker
):
    """The worked example of ADR 0009 (the ledger's tests, in a browser too); needs the
    categories."""
    with_welfare = ledger_agreement(corporation, welfare)
    with_municipality = ledger_agreement(corporation, municipality)
    # The shared worker has been a member of all three since 2024.
    Membership.objects.filter(user=shared_worker.user).update(started_at=moment(2024, 1, 1, 9))
    _rate(corporation, "60.00", date(2024, 1, 1))
    _rate(welfare, "50.00", date(2024, 1, 1))
    _rate(welfare, "55.00", date(2025, 3, 1))  # the rate changes in March
    _rate(municipality, "70.00", date(2025, 1, 1))
    _rate(care, "99.00", date(2024, 1, 1))  # no agreement with the corporation: not in its ledger
    split = HoursSplit.objects.create(
        user=shared_worker.user,
        hours_per_week=Decimal("16"),
        valid_from=date(2025, 1, 1),
        recorded_by=_someone(),
        recorded_for=corporation,
    )
    for organisation, percent in ((corporation, 50), (welfare, 30), (municipality, 20)):
        HoursSplitShare.objects.create(split=split, organisation=organisation, percent=percent)
    # February: the worker entered hours, which win over the split for that whole month.
    for organisation, hours in ((corporation, "40"), (welfare, "10"), (municipality, "0")):
        WorkedHours.objects.create(
            user=shared_worker.user,
            organisation=organisation,
            month=date(2025, 2, 1),
            hours=Decimal(hours),
        )
    _package(household, corporation, "850.00", "geleverd", date(2025, 2, 10))
    _package(household, corporation, "300.00", "geleverd", date(2025, 4, 2))  # after the period
    _package(household, welfare, "1234.50", "geleverd", date(2025, 3, 31))
    _package(household, municipality, "500.00", "goedgekeurd")  # not delivered
    _package(household, corporation, "99.00", "afgewezen")

    _estimate(corporation, "huurachterstand", "5000", source="Kosten huisuitzetting (test)")
    _estimate(municipality, "huurachterstand", "2500", source="Schuldhulptraject (test)")
    _estimate(municipality, "eenzaamheid", "800")
    _estimate(municipality, "eenzaamheid", "1000", month=date(2025, 3, 1))
    _estimate(welfare, "overlast", "400")
    _estimate(care, "eenzaamheid", "999")  # care is no partner of the corporation

    # A: arrears resolved in January after the municipality helped: the corporation saves.
    resolved(
        household,
        "huurachterstand",
        moment(2025, 1, 20, 10),
        helped_by=municipality,
        agreement_=with_municipality,
    )
    # B: arrears resolved by the corporation itself: the municipality saves.
    resolved(household, "huurachterstand", moment(2025, 2, 3, 10))
    # C (February, € 800) and E (March, € 1,000): loneliness resolved by the corporation.
    resolved(household, "eenzaamheid", moment(2025, 2, 14, 10))
    resolved(household, "eenzaamheid", moment(2025, 3, 31, 23, 30))  # late, still March
    # D: loneliness resolved thanks to welfare: between welfare and the municipality, not ours.
    resolved(
        household,
        "eenzaamheid",
        moment(2025, 3, 5, 10),
        helped_by=welfare,
        agreement_=with_welfare,
    )
    # F and G: nuisance resolved by the corporation (G's referral did not reach the tenant).
    resolved(household, "overlast", moment(2025, 1, 8, 10))
    resolved(
        household,
        "overlast",
        moment(2025, 1, 9, 10),
        helped_by=welfare,
        outcome="niet_bereikt",
        agreement_=with_welfare,
    )
    # Not counted: resolved after the period, reopened, or another corporation's own work.
    resolved(household, "huurachterstand", moment(2025, 4, 1, 0, 30))
    reopened = resolved(household, "huurachterstand", moment(2025, 2, 20, 10))
    Signal.objects.filter(pk=reopened.pk).update(status="open")
    elsewhere = HouseholdFactory(corporation=third_corporation)
    resolved(elsewhere, "huurachterstand", moment(2025, 2, 20, 10))


# --- household imports: the files of tests/cases/data and made-up ones -----------------------

IMPORT_DATA = Path(__file__).parent / "cases" / "data"
IMPORT_HEADER = (
    "huurcontract;straat;huisnummer;toevoeging;postcode;plaats;buurtcode;complexnummer;"
    "complexnaam;telefoon;email;hoofdhuurder;geboortejaar_hoofdhuurder"
)


def import_file(name: str) -> bytes:
    return (IMPORT_DATA / name).read_bytes()


def import_rows(count: int, prefix: str = "R", phone: str = "06 11111111") -> bytes:
    lines = [IMPORT_HEADER]
    for i in range(count):
        lines.append(
            f"{prefix}-{i};Teststraat;{i % 500 + 1};;1234 AB;Testdorp;BU99010101;C-{i // 50};"
            f"Complex {i // 50};{phone};;Huurder {i};1970"
        )
    return ("\n".join(lines) + "\n").encode()


def import_upload(actor, content: bytes, name: str = "huurders.csv"):
    return household_import_create(actor=actor, file_name=name, parsed=parse(content))


def import_run(actor, household_import):
    """Confirm as the people do; CELERY_TASK_ALWAYS_EAGER (the test settings) runs it now."""
    household_import_start(actor=actor, household_import=household_import)
    household_import.refresh_from_db()
    return household_import


def import_counts(household_import):
    return (
        household_import.new_rows,
        household_import.updated_rows,
        household_import.unchanged_rows,
        household_import.invalid_rows,
    )
