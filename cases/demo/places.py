"""Fictional places for the demo town Lindenhoven (ADR 0034), so the suggestions of helpers
show distances. Lindenhoven is made up, and so are its coordinates: it lies at 52° N 4° E, in
the North Sea off the coast, where no real home is. Every street runs east from its own start;
a house number is 6 m further along it; a complex is one building at its street's start.
No postcode centroid is made up: the demo's postcodes are the digits of real areas. Safe to
run twice: only rows without a place get one."""

from cases.demo.data import AREAS, DEMO_PREFIX
from cases.models import Helper, Household
from cases.selectors.matching import offset_place
from cases.validators import STREET_NUMBER_QUERY

ORIGIN = (52.0, 4.0)
METRES_PER_NUMBER = 6
# The demo helpers' streets that are not among the households' (cases.demo.helpers).
OTHER_STREETS = {
    "Beukenhof": (1300, 200),
    "Eikenstraat": (1500, 1700),
    "Populierenweg": (200, 1600),
}


def street_starts() -> dict[str, tuple[int, int]]:
    """Metres north and east of ORIGIN where each street starts: the areas in a grid, their
    streets 160 m apart."""
    starts = {}
    for a, area in enumerate(AREAS):
        north, east = (a // 2) * 1200, (a % 2) * 1500
        for s, block in enumerate(area.blocks):
            starts.setdefault(block.street, (north + s * 160, east))
    return {**OTHER_STREETS, **starts}


def demo_place(street: str, number: int, *, in_complex: bool = False) -> tuple[float, float] | None:
    """Latitude and longitude of a demo address, rounded as the database keeps them."""
    start = street_starts().get(street)
    if start is None:
        return None
    east = start[1] + (0 if in_complex else number * METRES_PER_NUMBER)
    return offset_place(ORIGIN, start[0], east)


def build_demo_places(*, corporation, organisations) -> tuple[int, int]:
    """Give the demo households and helpers without a place their fictional one; returns how
    many households and helpers got one."""
    households = list(
        Household.objects.filter(
            corporation=corporation,
            tenancy_reference__startswith=DEMO_PREFIX,
            latitude__isnull=True,
        )
    )
    for household in households:
        household.latitude, household.longitude = demo_place(
            household.street, household.house_number, in_complex=household.complex_id is not None
        ) or (None, None)
    Household.objects.bulk_update(households, ["latitude", "longitude"], batch_size=500)
    # A helper living in a complex lives in its building (cases.demo.help_balance).
    buildings = {
        complex_id: (latitude, longitude)
        for complex_id, latitude, longitude in Household.objects.filter(
            complex__isnull=False, latitude__isnull=False
        ).values_list("complex_id", "latitude", "longitude")
    }
    helpers = list(Helper.objects.filter(organisation__in=organisations, latitude__isnull=True))
    for helper in helpers:
        match = STREET_NUMBER_QUERY.match(helper.street_address)
        if helper.complex_id in buildings:
            helper.latitude, helper.longitude = buildings[helper.complex_id]
        elif match:
            helper.latitude, helper.longitude = demo_place(match.group(1), int(match.group(2))) or (
                None,
                None,
            )
    Helper.objects.bulk_update(helpers, ["latitude", "longitude"], batch_size=500)
    return (
        sum(h.latitude is not None for h in households),
        sum(h.latitude is not None for h in helpers),
    )
