"""The household reads: the neighbourhoods the filters offer, kept for minutes per organisation,
and a search that never shows a household opened in an emergency."""

import pytest
from django.urls import reverse

from cases.selectors import households as filter_choices
from cases.selectors.households import HouseholdFilters, household_search_page, neighbourhoods_of
from cases.services.emergency import emergency_access_open
from partners.models import Neighbourhood
from tests.factories import HouseholdFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def test_the_filters_offer_the_neighbourhoods_and_districts_of_the_own_households(
    corporation_worker, household, other_household, third_corporation
):
    district = NeighbourhoodFactory(name="Wijk Noord", cbs_code="WK990200")
    buurt = NeighbourhoodFactory(
        name="Buurt Noord", cbs_code="BU99020001", kind=Neighbourhood.Kind.BUURT, parent=district
    )
    HouseholdFactory(corporation=household.corporation, neighbourhood=buurt)
    elsewhere = NeighbourhoodFactory(name="Elders", cbs_code="WK990300")
    HouseholdFactory(corporation=third_corporation, neighbourhood=elsewhere)
    offered = set(neighbourhoods_of(actor=corporation_worker))
    assert offered == {household.neighbourhood, buurt, district}


def test_the_filters_neighbourhoods_are_kept_for_minutes_and_a_chosen_one_still_checked(
    login, corporation_worker, household
):
    here = household.neighbourhood
    kept = filter_choices.neighbourhood_choices(actor=corporation_worker)
    assert kept == [(here.pk, f"{here.name} ({here.municipality})")]
    elsewhere = NeighbourhoodFactory(name="Nieuwbouw", cbs_code="WK990400")
    HouseholdFactory(corporation=household.corporation, neighbourhood=elsewhere)
    assert filter_choices.neighbourhood_choices(actor=corporation_worker) == kept  # no query
    client = login(corporation_worker)
    page = client.get(reverse("cases:household_list"))
    assert f'<option value="{here.pk}">' in page.content.decode()
    assert f'<option value="{elsewhere.pk}">' not in page.content.decode()
    # Not offered yet, so not accepted: the filter is left out and the list shows all.
    chosen = client.get(reverse("cases:household_list"), {"neighbourhood": elsewhere.pk})
    assert not chosen.context["form"].is_valid()
    filter_choices.neighbourhood_choices_forget(organisation_id=household.corporation_id)
    assert elsewhere.pk in dict(filter_choices.neighbourhood_choices(actor=corporation_worker))
    chosen = client.get(reverse("cases:household_list"), {"neighbourhood": elsewhere.pk})
    assert chosen.context["form"].cleaned_data["neighbourhood"] == elsewhere


def test_each_organisation_is_offered_its_own_neighbourhoods(
    corporation_worker, outsider, household, third_corporation
):
    elsewhere = NeighbourhoodFactory(name="Elders", cbs_code="WK990300")
    HouseholdFactory(corporation=third_corporation, neighbourhood=elsewhere)
    here = household.neighbourhood
    for _warm in range(2):
        assert [
            pk for pk, _l in filter_choices.neighbourhood_choices(actor=corporation_worker)
        ] == [here.pk]
        assert [pk for pk, _l in filter_choices.neighbourhood_choices(actor=outsider)] == [
            elsewhere.pk
        ]


def test_a_search_never_shows_another_corporations_household_opened_in_an_emergency(
    corporation_worker, other_household
):
    filters = HouseholdFilters(query=f"{other_household.postcode} {other_household.house_number}")
    emergency_access_open(
        actor=corporation_worker, household=other_household, reason="Brandweer belt, deur dicht."
    )
    page = household_search_page(actor=corporation_worker, filters=filters, page=None)
    assert other_household.pk not in [h.pk for h in page]


def test_the_search_by_tenancy_reference_follows_its_index(corporation_worker, household):
    """An exact reference in any case is read along the index on (corporation,
    UPPER(tenancy_reference)), not by reading the corporation's households."""
    from django.db import connection

    from cases.models import Household

    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    Household.objects.bulk_create(
        Household(
            corporation=household.corporation,
            tenancy_reference=f"R-{number}",
            street="Teststraat",
            house_number=number,
            postcode="9901 AB",
            town="Testdorp",
            neighbourhood=household.neighbourhood,
        )
        for number in range(1, 3001)
    )
    visible = Household.objects.visible_to(corporation_worker, ids_first=True)
    query = visible.filter(tenancy_reference__iexact="hc-000012").values("pk")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_household")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "household_tenancy_upper" in plan, plan
