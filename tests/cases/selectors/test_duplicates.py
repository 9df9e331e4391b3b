"""Finding possible duplicate households (ADR 0026): the same address (postcode, number and
addition, normalised) or the same resident (name without case, spacing or diacritics, and year
of birth) under another tenancy reference; only within one corporation, only among active
households, never two marked distinct, and on the household page only households the actor may
see, in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import AccessLog, DistinctHouseholds, Household
from cases.selectors.duplicates import (
    Candidate,
    Person,
    duplicates_among,
    duplicates_within,
    household_duplicates,
)
from cases.selectors.emergency import emergency_household_at
from cases.services.duplicates import household_merge
from cases.validators import address_key, name_key
from tests.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def at(corporation, number=12, addition="", postcode="9901 AB", **extra):
    return HouseholdFactory(
        corporation=corporation,
        postcode=postcode,
        house_number=number,
        house_number_addition=addition,
        **extra,
    )


def flagged(actor, household):
    return [m.household_id for m in household_duplicates(
        actor=actor, household=household, residents=list(household.residents.all())
    )]  # fmt: skip


# --- the keys ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("9901 AB", 12, "a"), ("9901ab", 12, "A")),
        (("9901 AB", 12, "2-hoog"), ("9901AB", 12, "2 hoog")),
        (("9901 AB", 12, ""), (" 9901 ab ", 12, "")),
    ],
)
def test_an_address_is_the_same_in_any_case_and_spacing(one, other):
    assert address_key(*one) == address_key(*other) != ""


def test_another_addition_or_number_is_another_address():
    assert address_key("9901 AB", 12, "a") != address_key("9901 AB", 12, "b")
    assert address_key("9901 AB", 12, "") != address_key("9901 AB", 12, "a")
    assert address_key("9901 AB", 12, "") != address_key("9901 AB", 14, "")
    assert address_key("", 12, "") == "", "an erased address matches nothing"


@pytest.mark.parametrize(
    "spelling", ["José de Vries", "jose de vries", "JOSÉ  DE   VRIES", " Jose de Vríes "]
)
def test_a_name_is_the_same_in_any_case_spacing_and_diacritics(spelling):
    assert name_key(spelling) == name_key("José de Vries") == "jose de vries"


def test_the_keys_are_kept_by_save(corporation):
    household = at(corporation, addition="B")
    assert household.address_key == "9901AB 12 b"
    household.house_number_addition = "c"
    household.save(update_fields=["house_number_addition"])
    household.refresh_from_db()
    assert household.address_key == "9901AB 12 c"
    resident = ResidentFactory(household=household, name="Zoë  Bakker")
    resident.name = "Zoë Bäkker"
    resident.save(update_fields=["name"])
    resident.refresh_from_db()
    assert resident.name_key == "zoe bakker"


# --- the household page: one query, the corporation's own, what the actor may see -------------


def test_the_same_address_under_another_tenancy_reference_is_flagged(corporation_worker, household):
    same = at(household.corporation, addition="A")  # the cast's household is 12-a
    at(household.corporation, addition="b")  # another addition: another home
    at(household.corporation, number=14, addition="a")
    assert flagged(corporation_worker, household) == [same.pk]


def test_the_same_resident_and_year_is_flagged_wherever_they_live(corporation_worker, household):
    elsewhere = at(household.corporation, number=40, postcode="9902 CD")
    ResidentFactory(household=elsewhere, name="anna  DE tést", birth_year=1948)
    other_year = at(household.corporation, number=41, postcode="9902 CD")
    ResidentFactory(household=other_year, name="Anna de Test", birth_year=1949)
    no_year = at(household.corporation, number=42, postcode="9902 CD")
    ResidentFactory(household=no_year, name="Anna de Test", birth_year=None)
    matches = household_duplicates(
        actor=corporation_worker, household=household, residents=list(household.residents.all())
    )
    assert [(m.household_id, m.same_address, m.people) for m in matches] == [
        (elsewhere.pk, False, [("anna  DE tést", 1948)])
    ]


def test_another_corporations_households_never_match(
    corporation_worker, outsider, household, third_corporation
):
    theirs = at(third_corporation, addition="a")
    ResidentFactory(household=theirs, name="Anna de Test", birth_year=1948)
    assert flagged(corporation_worker, household) == []
    assert flagged(outsider, theirs) == []
    found = duplicates_among(
        organisation_id=third_corporation.pk,
        candidates=[Candidate("X-1", "9901 AB", 12, "a", (Person("Anna de Test", 1948),))],
    )
    assert [m.household_id for m in found[0]] == [theirs.pk]


def test_households_marked_distinct_merged_or_erased_are_not_flagged(
    corporation_worker, household, admin
):
    distinct = at(household.corporation, addition="a")
    DistinctHouseholds.objects.create(
        household=household, other=distinct, decided_by=admin.user, decided_for=admin.organisation
    )
    merged = at(household.corporation, addition="a")
    survivor = at(household.corporation, number=99)
    Household.objects.filter(pk=merged.pk).update(
        merged_into=survivor, merged_at=survivor.created_at
    )
    erased = at(household.corporation, addition="a")
    Household.objects.filter(pk=erased.pk).update(anonymised_at=erased.created_at)
    assert flagged(corporation_worker, household) == []


def test_the_flag_shows_only_households_the_actor_may_see(
    corporation_worker, welfare_worker, household, send
):
    """Welfare sees the household through a referral, not its duplicate: the flag would name
    a household it may not see, so it shows none."""
    same = at(household.corporation, addition="a")
    send()
    assert Household.objects.visible_to(welfare_worker).filter(pk=household.pk).exists()
    assert flagged(welfare_worker, household) == []
    assert flagged(corporation_worker, household) == [same.pk]


def test_the_check_is_one_query_however_many_residents_and_matches(corporation_worker, household):
    for number in range(5):
        ResidentFactory(household=household, name=f"Persoon {number}", birth_year=1960 + number)
        other = at(household.corporation, number=50 + number, postcode="9903 EF")
        ResidentFactory(household=other, name=f"persoon {number}", birth_year=1960 + number)
        at(household.corporation, addition="a")
    residents = list(household.residents.all())
    with CaptureQueriesContext(connection) as queries:
        matches = household_duplicates(
            actor=corporation_worker, household=household, residents=residents
        )
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(matches) == 10
    assert len(selects) == 1, selects
    assert AccessLog.objects.filter(detail__duplicates_of=household.pk).count() == 10


def test_the_check_follows_the_indexes(corporation_worker, household):
    """The address key and the residents' name key are indexed (migration 0022)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname IN "
            "('household_address_key', 'resident_name_key')"
        )
        assert sorted(row[0] for row in cursor.fetchall()) == [
            "household_address_key",
            "resident_name_key",
        ]


# --- plain data: what the import (CSV or API) asks ------------------------------------------


def test_candidates_match_by_address_or_person_but_never_their_own_tenancy_reference(
    household,
):
    corporation = household.corporation
    found = duplicates_among(
        organisation_id=corporation.pk,
        candidates=[
            Candidate("HC-000012", "9901AB", 12, "A"),  # the household itself, re-imported
            Candidate("NEW-1", "9901 ab", 12, "a-"),
            Candidate("NEW-2", "9904 GH", 1, "", (Person("ANNA DE TEST", 1948),)),
            Candidate("NEW-3", "9901 AB", 12, "b", (Person("Anna de Test", None),)),
        ],
    )
    assert found[0] == []
    assert [(m.tenancy_reference, m.same_address) for m in found[1]] == [("HC-000012", True)]
    assert [(m.tenancy_reference, m.people) for m in found[2]] == [
        ("HC-000012", [("Anna de Test", 1948)])
    ]
    assert found[3] == []


def test_lines_of_one_file_match_each_other_under_another_tenancy_reference():
    found = duplicates_within(
        [
            (2, Candidate("A", "9901 AB", 12, "", (Person("Piet Jansen", 1959),))),
            (3, Candidate("B", "9901AB", 12, "")),
            (4, Candidate("C", "9902 CD", 3, "", (Person("piet jansen", 1959),))),
            (5, Candidate("D", "9901 AB", 12, "a")),
        ]
    )
    assert {line: [(m.tenancy_reference, m.line) for m in ms] for line, ms in found.items()} == {
        2: [("B", 3), ("C", 4)],
        3: [("A", 2)],
        4: [("A", 2)],
    }


def test_the_emergency_look_up_finds_the_household_that_went_on(household, admin):
    """Two tenancy references at one address are two households to the look-up; after a
    merge the address has one household again."""
    room = at(household.corporation, addition="a")
    assert len(emergency_household_at(postcode="9901 AB", house_number=12, addition="a")) == 2
    household_merge(actor=admin, survivor=household, absorbed=room)
    assert emergency_household_at(postcode="9901 AB", house_number=12, addition="a") == [household]
