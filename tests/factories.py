"""Factories for fictional test data."""

import factory

from partners.models import Membership, Neighbourhood, Organisation, User

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
    tenancy_reference = factory.Sequence(lambda n: f"HC-{n:06d}")
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
