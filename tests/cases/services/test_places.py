"""Places of helpers and households (ADR 0034): the PC4 centroid file read whole or not at all,
read again safely, and the places filled in from it on registering, on a move, and for the
rows already there."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from cases.models import Helper, Household, PostcodeCentroid
from cases.services import helpers as services
from cases.services.places import places_fill, postcode_centroids_read
from tests.factories import HelperFactory, HouseholdFactory

pytestmark = pytest.mark.django_db

# Invented postcode areas and places: 9991 to 9993 are no real areas of these coordinates.
GOOD = "pc4,latitude,longitude\n9991,52.100000,5.100000\n9992,52.200000,5.200000\n"


@pytest.fixture
def centroids(tmp_path):
    path = tmp_path / "pc4.csv"
    path.write_text(GOOD)
    call_command("import_postcode_centroids", str(path), source="test", stdout=io.StringIO())
    return path


def test_a_file_with_semicolons_and_decimal_commas_is_read():
    read = postcode_centroids_read("Postcode;Lat;Lon\n9993;52,5;5,25\n\n")
    assert [(c.pc4, c.latitude, c.longitude) for c in read] == [
        ("9993", Decimal("52.500000"), Decimal("5.250000"))
    ]


def test_every_bad_line_is_named_in_dutch_and_nothing_is_written(tmp_path):
    path = tmp_path / "bad.csv"
    # RD New metres instead of degrees, a postcode with letters, a short line, and a good one.
    path.write_text(
        "pc4,latitude,longitude\n9991,455000,155000\n99A1,52.1,5.1\n9992\n9993,52.1,5.1\n"
    )
    with translation.override("nl"), pytest.raises(CommandError) as refused:
        call_command("import_postcode_centroids", str(path))
    assert str(refused.value).splitlines() == [
        "Regel 2: de plek is niet in graden binnen Nederland (WGS84).",
        "Regel 3: 99A1 is geen postcode van vier cijfers.",
        "Regel 4: te weinig kolommen.",
    ]
    assert not PostcodeCentroid.objects.exists()


def test_a_file_without_the_columns_is_refused():
    with translation.override("nl"), pytest.raises(Exception) as refused:
        postcode_centroids_read("postcode,x,y\n9991,1,2\n")
    assert "De kolom latitude ontbreekt" in str(refused.value)


def test_reading_again_replaces_and_adds(centroids):
    centroids.write_text("pc4,latitude,longitude\n9991,52.150000,5.150000\n9993,52.3,5.3\n")
    call_command("import_postcode_centroids", str(centroids), stdout=io.StringIO())
    assert dict(PostcodeCentroid.objects.values_list("pc4", "latitude")) == {
        "9991": Decimal("52.150000"),
        "9992": Decimal("52.200000"),
        "9993": Decimal("52.300000"),
    }


def test_a_helper_registered_gets_their_postcodes_place_and_a_move_a_new_one(
    centroids, corporation_worker, register_helper, helper_values
):
    helper = register_helper(corporation_worker, postcode="9991 AB")
    assert (helper.latitude, helper.longitude) == (Decimal("52.100000"), Decimal("5.100000"))
    values = helper_values(postcode="9992 AB")
    helper = services.helper_update(actor=corporation_worker, helper=helper, **values)
    helper.refresh_from_db()
    assert helper.latitude == Decimal("52.200000")
    # A move to an area the table does not know leaves no old, wrong place behind.
    values = helper_values(postcode="9994 AB")
    helper = services.helper_update(actor=corporation_worker, helper=helper, **values)
    helper.refresh_from_db()
    assert (helper.latitude, helper.longitude) == (None, None)


def test_a_change_that_is_no_move_keeps_an_entered_place(
    centroids, corporation_worker, register_helper, helper_values
):
    helper = register_helper(corporation_worker, postcode="9991 AB")
    Helper.objects.filter(pk=helper.pk).update(latitude=Decimal("52.123456"))
    helper.refresh_from_db()
    values = helper_values(postcode="9991 AB", phone="06 0000 9999")
    services.helper_update(actor=corporation_worker, helper=helper, **values)
    helper.refresh_from_db()
    assert helper.latitude == Decimal("52.123456")


def test_places_fill_gives_a_place_only_where_none_is_and_is_safe_to_repeat(centroids):
    empty = HelperFactory(postcode="9991 XY")
    entered = HelperFactory(postcode="9991 XY", latitude=Decimal("52.9"), longitude=Decimal("5.9"))
    unknown = HelperFactory(postcode="9994 XY")
    home = HouseholdFactory(postcode="9992 AB")
    with translation.override("nl"):
        call_command("places_fill", stdout=io.StringIO())
    assert places_fill() == (0, 0)
    assert Helper.objects.get(pk=empty.pk).latitude == Decimal("52.100000")
    assert Helper.objects.get(pk=entered.pk).latitude == Decimal("52.900000")
    assert Helper.objects.get(pk=unknown.pk).latitude is None
    assert Household.objects.get(pk=home.pk).longitude == Decimal("5.200000")
