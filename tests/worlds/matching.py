"""Suggestions of helpers for a request (ADR 0034), for the tests of several modules: a
household at a fictional place (in the North Sea, so no coordinate points at a real home),
in a complex in the Lindelaan, and a way to put helpers of the cast's corporation at so many
metres north and east of it."""

from decimal import Decimal

import pytest

from cases.selectors.matching import offset_place
from tests.factories import ComplexFactory, HelperFactory, HelpRequestFactory, HouseholdFactory

ORIGIN = (Decimal("52.000000"), Decimal("4.000000"))


def _at(north: float, east: float) -> dict:
    """Latitude and longitude so many metres north and east of ORIGIN."""
    lat, lon = offset_place(ORIGIN, north, east)
    return {"latitude": Decimal(f"{lat:.6f}"), "longitude": Decimal(f"{lon:.6f}")}


@pytest.fixture
def home(corporation, neighbourhood):
    """A household of the cast's corporation at ORIGIN, Lindelaan 12, in a complex."""
    return HouseholdFactory(
        corporation=corporation,
        neighbourhood=neighbourhood,
        street="Lindelaan",
        house_number=12,
        postcode="9901 AB",
        complex=ComplexFactory(corporation=corporation, neighbourhood=neighbourhood),
        latitude=ORIGIN[0],
        longitude=ORIGIN[1],
    )


@pytest.fixture
def ask(home, corporation_worker):
    """A request for shopping on Monday morning for `home`, changed by keywords."""

    def _ask(**values):
        values = {
            "household": home,
            "kind": "boodschappen",
            "days": ["ma"],
            "day_parts": ["ochtend"],
            "consent_recorded_by": corporation_worker.user,
            **values,
        }
        return HelpRequestFactory(**values)

    return _ask


@pytest.fixture
def helper_at(corporation):
    """A helper of the cast's corporation who shops on Monday morning, `north`/`east` metres
    from `home` (neither: no place known), changed by keywords."""

    def _helper(first_name, north=None, east=None, **values):
        values = {
            "organisation": corporation,
            "first_name": first_name,
            "days": ["ma", "wo"],
            "day_parts": ["ochtend"],
            "street_address": "Akkerweg 3",
            "postcode": "9902 CD",
            **values,
        }
        if north is not None or east is not None:
            values.update(_at(north or 0, east or 0))
        return HelperFactory(**values)

    return _helper
