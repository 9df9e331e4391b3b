"""The demo's fictional places (cases.demo.places): every demo household and helper gets one,
in the North Sea where no real home is, so the suggestions show distances in Lindenhoven."""

import pytest
from django.core.management import call_command

from cases.demo.places import demo_place
from cases.models import Helper, Household
from cases.selectors.matching import haversine_metres

pytestmark = pytest.mark.django_db


def test_a_house_number_lies_along_its_street_and_a_complex_at_one_point():
    first, tenth = demo_place("Lindelaan", 1), demo_place("Lindelaan", 11)
    assert 59 <= haversine_metres(*first, *tenth) <= 61
    assert demo_place("Havenkade", 101, in_complex=True) == demo_place(
        "Havenkade", 140, in_complex=True
    )
    assert demo_place("Nergensstraat", 1) is None


def test_seeding_gives_every_demo_household_and_helper_a_place_at_sea():
    call_command("seed_demo", password="een-eigen-wachtwoord")
    call_command("seed_demo", password="een-eigen-wachtwoord")
    assert not Household.objects.filter(latitude__isnull=True).exists()
    assert not Helper.objects.filter(latitude__isnull=True).exists()
    # 52° N 4° E and a few kilometres around it: the sea west of the coast.
    for lat, lon in Household.objects.values_list("latitude", "longitude"):
        assert 52.0 <= lat <= 52.05 and 4.0 <= lon <= 4.05
    gerda = Helper.objects.get(first_name="Gerda")  # Lindelaan 12
    neighbour = Household.objects.filter(street="Lindelaan").order_by("house_number").first()
    metres = haversine_metres(
        gerda.latitude, gerda.longitude, neighbour.latitude, neighbour.longitude
    )
    assert metres == pytest.approx(abs(12 - neighbour.house_number) * 6, abs=2)
