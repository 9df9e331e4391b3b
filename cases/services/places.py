"""Where helpers and households live, for the distance to a request (ADR 0034): a table of
four-digit postcode centroids read from a file, and the places filled in from it where none
was entered or imported. A place from a centroid is rough; the suggestions say so."""

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from cases.models import Helper, Household, PostcodeCentroid

PC4 = re.compile(r"^[1-9][0-9]{3}$")
NAMES = {
    "pc4": ("pc4", "postcode", "postcode4", "pc"),
    "latitude": ("latitude", "lat", "breedtegraad"),
    "longitude": ("longitude", "lon", "lng", "lengtegraad"),
}
# The Netherlands with a margin: a place outside is a file in another projection (RD New
# metres) or with its columns swapped.
LATITUDES, LONGITUDES = (Decimal("50.5"), Decimal("53.8")), (Decimal("3.0"), Decimal("7.5"))
MOST_ERRORS = 20


@dataclass(frozen=True)
class Centroid:
    pc4: str
    latitude: Decimal
    longitude: Decimal


def _column(header: list[str], field: str) -> int:
    names = [name.strip().lower().lstrip("\ufeff") for name in header]
    for name in NAMES[field]:
        if name in names:
            return names.index(name)
    raise ValidationError(
        _("The file has no column %(field)s (one of: %(names)s).")
        % {"field": field, "names": ", ".join(NAMES[field])}
    )


def _degrees(text: str, bounds: tuple[Decimal, Decimal]) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or not bounds[0] <= value <= bounds[1]:
        return None
    return value.quantize(Decimal("0.000001"))


def postcode_centroids_read(text: str) -> list[Centroid]:
    """The rows of a CSV file of PC4 centroids in WGS84 degrees (columns pc4, latitude,
    longitude, separated by commas or semicolons); every bad line named, nothing half read."""
    header = text.split("\n", 1)[0]
    delimiter = next((d for d in (";", "\t") if d in header), ",")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise ValidationError(_("The file is empty."))
    header, body = rows[0], rows[1:]
    columns = [_column(header, field) for field in ("pc4", "latitude", "longitude")]
    found, errors = {}, []
    for number, row in enumerate(body, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(columns):
            errors.append(_("Line %(line)s: too few columns.") % {"line": number})
            continue
        pc4, lat, lon = (row[i].strip() for i in columns)
        latitude, longitude = _degrees(lat, LATITUDES), _degrees(lon, LONGITUDES)
        if not PC4.match(pc4):
            errors.append(
                _("Line %(line)s: %(pc4)s is no four-digit postcode.")
                % {"line": number, "pc4": pc4}
            )
        elif latitude is None or longitude is None:
            errors.append(
                _("Line %(line)s: the place is not in degrees within the Netherlands (WGS84).")
                % {"line": number}
            )
        else:
            found[pc4] = Centroid(pc4, latitude, longitude)
    if errors:
        more = len(errors) - MOST_ERRORS
        if more > 0:
            errors = errors[:MOST_ERRORS] + [_("And %(count)s more.") % {"count": more}]
        raise ValidationError(errors)
    if not found:
        raise ValidationError(_("The file has no postcodes."))
    return [found[pc4] for pc4 in sorted(found)]


@transaction.atomic
def postcode_centroids_import(*, centroids: list[Centroid], source: str) -> int:
    """Add or replace the centroids, all or none; returns how many were written."""
    PostcodeCentroid.objects.bulk_create(
        [
            PostcodeCentroid(
                pc4=c.pc4, latitude=c.latitude, longitude=c.longitude, source=source[:200]
            )
            for c in centroids
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["pc4"],
        update_fields=["latitude", "longitude", "source"],
    )
    return len(centroids)


def centroid_place(postcode: str) -> dict:
    """The latitude and longitude of the postcode's area, both None when the table has none."""
    row = (
        PostcodeCentroid.objects.filter(pc4=(postcode or "")[:4])
        .values("latitude", "longitude")
        .first()
    )
    return row or {"latitude": None, "longitude": None}


@transaction.atomic
def places_fill() -> tuple[int, int]:
    """Give every helper and household without a place its postcode area's centroid, where the
    table has one; returns how many helpers and households got one. Safe to repeat."""
    centroid = PostcodeCentroid.objects.filter(pc4=Substr(OuterRef("postcode"), 1, 4))
    filled = []
    for model in (Helper, Household):
        filled.append(
            model.objects.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))
            .filter(Exists(centroid))
            .update(
                latitude=Subquery(centroid.values("latitude")[:1]),
                longitude=Subquery(centroid.values("longitude")[:1]),
            )
        )
    return filled[0], filled[1]
