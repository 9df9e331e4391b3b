"""Factories for fictional test data, and the helpers that make it for the tests of several
modules: an agreement, a consent, a support package, emergency accesses up to the limit, the
ledger's worked example and the files of a household import."""

import datetime
from decimal import Decimal
from pathlib import Path

import factory
from django.utils import timezone

from cases.models import Agreement
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


# --- household imports: the files of tests/cases/data and made-up ones -----------------------

IMPORT_DATA = Path(__file__).parent.parent / "cases" / "data"
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


# The ledger's worked example lives in its own module (the length a reader holds).
from tests.factories.ledger import (  # noqa: E402
    LONG_AGO as LONG_AGO,
)
from tests.factories.ledger import (  # noqa: E402
    build_ledger_example as build_ledger_example,
)
from tests.factories.ledger import (  # noqa: E402
    ledger_agreement as ledger_agreement,
)
from tests.factories.ledger import moment as moment  # noqa: E402
from tests.factories.ledger import resolved as resolved  # noqa: E402
