"""Suggestions of helpers (dragers) for a request for informal help (ADR 0034): who of the
actor's organisation could help, ranked and explained in words a worker reads. Three queries
(the household's place, the candidates with their load, the access log), however many
helpers there are."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Abs, Coalesce, Substr
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.access.actors import Actor
from cases.access.log import log_access
from cases.models import AccessLog, Helper, HelpMatch, HelpRequest, Household, PostcodeCentroid
from cases.workflow import (
    MATCH_ACTIVE,
    AccessBasis,
    DayPart,
    HelperStatus,
    HelpKind,
    HelpRequestStatus,
    Weekday,
)

EARTH_METRES = 6_371_000
# Metres in a degree of latitude (and of longitude at the equator): for the rough box in SQL.
METRES_PER_DEGREE = 111_320

# How near a helper is known to be, best first: a distance, or only the same complex, street
# or four-digit postcode area.
DISTANCE, COMPLEX, STREET, POSTCODE = "afstand", "complex", "straat", "postcode"
FALLBACKS = (COMPLEX, STREET, POSTCODE)


@dataclass(frozen=True)
class Suggestion:
    """One helper suggested for a request, with why. `nearness` says how the place is known
    (DISTANCE, or COMPLEX, STREET, POSTCODE when the distance is not); `available` whether
    the helper can on a day and part of the day the request asks."""

    helper: Helper
    distance_metres: int | None
    load: int
    reasons: list[str]
    nearness: str
    available: bool
    rank: tuple = field(repr=False, compare=False)


def haversine_metres(lat1, lon1, lat2, lon2) -> float:
    """The distance over the earth's surface between two points in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_METRES * math.asin(math.sqrt(a))


def offset_place(origin: tuple[float, float], north: float, east: float) -> tuple[float, float]:
    """The point so many metres north and east of `origin` (degrees), rounded as the database
    keeps places: for fictional places (the demo, the tests, the benchmark)."""
    lat = float(origin[0]) + north / METRES_PER_DEGREE
    lon = float(origin[1]) + east / (METRES_PER_DEGREE * math.cos(math.radians(float(origin[0]))))
    return round(lat, 6), round(lon, 6)


def rounded_metres(metres: float) -> int:
    """The distance as it is shown and ranked: under 100 m as 0, then by 50 m, from 1 km by
    100 m; so helpers that look equally far are ordered by load and not by a few metres."""
    if metres < 100:
        return 0
    if metres < 1000:
        return int(round(metres / 50) * 50)
    return int(round(metres / 100) * 100)


def distance_text(metres: int) -> str:
    if metres < 100:
        return _("less than 100 m")
    if metres < 1000:
        return _("%(metres)s m") % {"metres": metres}
    return _("%(km)s km") % {"km": formats.number_format(metres / 1000, 1)}


def _or_list(words: list[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return _("%(words)s or %(last)s") % {"words": ", ".join(words[:-1]), "last": words[-1]}


def _centroid_of(prefix: str = "") -> Exists:
    """Whether a row's place is its postcode area's centroid (filled in by
    cases.services.places), so a distance from it is only roughly right."""
    return Exists(
        PostcodeCentroid.objects.filter(
            pc4=Substr(OuterRef(f"{prefix}postcode"), 1, 4),
            latitude=OuterRef(f"{prefix}latitude"),
            longitude=OuterRef(f"{prefix}longitude"),
        )
    )


def _same_street(helper: Helper, street: str, pc4: str) -> bool:
    """The helper lives in the street of the request's household, in the same four-digit
    postcode area (a street name recurs in other villages)."""
    address = helper.street_address.casefold()
    return address.startswith(street.casefold() + " ") and helper.postcode.startswith(pc4)


def _offering(kind: str) -> Q:
    """Helpers whose offers hold this kind: JSON containment where the database has it
    (PostgreSQL), else the quoted value in the list's text (SQLite, `make run`'s embedded
    default). A kind is one of HelpKind's plain words, so its quoted form is exact."""
    if connection.features.supports_json_field_contains:
        return Q(offers__contains=[kind])
    return Q(offers__icontains=f'"{kind}"')


def _candidates(*, actor: Actor, request: HelpRequest, place: dict):
    """The helpers that may be suggested, filtered in SQL as far as SQL can: organisation,
    active, the kind of help, a VOG valid today where the request needs one, no live match for
    this request, fewer live matches than HELPER_MAX_OPEN_MATCHES, and near enough by a box
    around the household (metres per degree) or by complex, street or postcode area."""
    live = HelpMatch.objects.filter(helper=OuterRef("pk"), status__in=MATCH_ACTIVE)
    load = live.order_by().values("helper").annotate(n=Count("pk")).values("n")
    helpers = (
        Helper.objects.visible_to(actor)
        .filter(_offering(request.kind), status=HelperStatus.ACTIVE)
        .exclude(Exists(live.filter(request_id=request.pk)))
        .annotate(load=Coalesce(Subquery(load, output_field=IntegerField()), 0))
        .filter(load__lt=settings.HELPER_MAX_OPEN_MATCHES)
    )
    if request.needs_vog:
        helpers = helpers.filter(
            vog_seen_on__isnull=False, vog_expires_on__gte=timezone.localdate()
        )
    pc4 = place["postcode"][:4]
    near = Q(street_address__istartswith=f"{place['street']} ", postcode__startswith=pc4)
    if place["complex_id"] is not None:
        near |= Q(complex_id=place["complex_id"])
    by_metres = Q(own_street_only=False)
    unknown = Q(latitude__isnull=True) | Q(longitude__isnull=True)
    if place["latitude"] is not None and place["longitude"] is not None:
        lat, lon = place["latitude"], place["longitude"]
        stretch = Decimal(METRES_PER_DEGREE * math.cos(math.radians(float(lat)))).quantize(
            Decimal("0.001")
        )
        helpers = helpers.alias(
            north=Abs(F("latitude") - Value(lat)) * Value(Decimal(METRES_PER_DEGREE)),
            east=Abs(F("longitude") - Value(lon)) * Value(stretch),
        )
        boxed = Q(north__lte=F("reach_metres"), east__lte=F("reach_metres"))
        near |= by_metres & (boxed | (unknown & Q(postcode__startswith=pc4)))
    else:
        near |= by_metres & Q(postcode__startswith=pc4)
    return helpers.filter(near).annotate(by_postcode=_centroid_of()).order_by()


def _when(request: HelpRequest, helper: Helper) -> tuple[bool, str]:
    """Whether the helper can at a time the request asks, and that in words."""
    asked_days, asked_parts = request.days or [], request.day_parts or []
    if not asked_days and not asked_parts:
        return True, ""
    days = [d for d in Weekday.values if d in asked_days and d in helper.days]
    parts = [p for p in DayPart.values if p in asked_parts and p in helper.day_parts]
    if (asked_days and not days) or (asked_parts and not parts):
        return False, _("cannot on the days or parts of the day asked")
    day_words = [str(Weekday(d).label) for d in days]
    part_words = [str(DayPart(p).label) for p in parts]
    if not days:
        return True, _("can in the %(parts)s") % {"parts": _or_list(part_words)}
    if not parts:
        return True, _("can on %(days)s") % {"days": _or_list(day_words)}
    if len(days) * len(parts) <= 3:
        moments = [
            _("%(day)s %(part)s") % {"day": d, "part": p} for d in day_words for p in part_words
        ]
        return True, _("can on %(days)s") % {"days": _or_list(moments)}
    return True, _("can on %(days)s (%(parts)s)") % {
        "days": _or_list(day_words),
        "parts": _or_list(part_words),
    }


def _suggestion(helper: Helper, *, request: HelpRequest, place: dict) -> Suggestion | None:
    """The helper as a suggestion, or None when the request lies outside their reach."""
    pc4 = place["postcode"][:4]
    same_complex = place["complex_id"] is not None and helper.complex_id == place["complex_id"]
    same_street = _same_street(helper, place["street"], pc4)
    metres = None
    rough = helper.by_postcode or place["by_postcode"]
    both_centroids = helper.by_postcode and place["by_postcode"]
    known = None not in (helper.latitude, helper.longitude, place["latitude"], place["longitude"])
    # Two centroids of one postcode area say nothing about the distance between two homes.
    if known and not (both_centroids and helper.postcode.startswith(pc4)):
        metres = haversine_metres(
            float(helper.latitude),
            float(helper.longitude),
            float(place["latitude"]),
            float(place["longitude"]),
        )
    if helper.own_street_only:
        if not (same_complex or same_street):
            return None
    elif metres is not None:
        if metres > helper.reach_metres:
            return None
    elif not (same_complex or same_street or helper.postcode.startswith(pc4)):
        return None

    reasons = []
    if metres is not None:
        shown = rounded_metres(metres)
        nearness, near_rank = DISTANCE, (0, shown)
        if rough:
            reasons.append(
                _("lives about %(distance)s away (measured by postcode)")
                % {"distance": distance_text(shown)}
            )
        else:
            reasons.append(_("lives %(distance)s away") % {"distance": distance_text(shown)})
    elif same_complex:
        nearness, near_rank = COMPLEX, (1, 0)
        reasons.append(_("same complex; distance unknown"))
    elif same_street:
        nearness, near_rank = STREET, (1, 1)
        reasons.append(_("same street; distance unknown"))
    else:
        nearness, near_rank = POSTCODE, (1, 2)
        reasons.append(_("same postcode area (%(pc4)s); distance unknown") % {"pc4": pc4})
    if helper.own_street_only:
        reasons.append(_("helps in their own street or complex only"))
    reasons.append(_("offers %(kind)s") % {"kind": str(HelpKind(request.kind).label).lower()})
    if helper.load:
        reasons.append(
            ngettext("%(count)s request under way", "%(count)s requests under way", helper.load)
            % {"count": helper.load}
        )
    else:
        reasons.append(_("no requests under way"))
    available, when = _when(request, helper)
    if when:
        reasons.append(when)
    if request.needs_vog:
        reasons.append(
            _("VOG valid until %(date)s")
            % {"date": formats.date_format(helper.vog_expires_on, "j F Y")}
        )
    return Suggestion(
        helper=helper,
        distance_metres=None if metres is None else int(round(metres)),
        load=helper.load,
        reasons=reasons,
        nearness=nearness,
        available=available,
        rank=(0 if available else 1, near_rank, helper.load, helper.pk),
    )


def helper_suggestions(*, actor: Actor, request: HelpRequest, limit: int = 10) -> list[Suggestion]:
    """The helpers of the actor's organisation who could help with an open request, best
    first: those who can at a time asked, then the nearest (a known distance before the same
    complex, street or postcode area), then the least busy, then by registration (pk). The
    helpers shown are in the access log as one search."""
    if request.status != HelpRequestStatus.OPEN:
        return []
    place = (
        Household.objects.visible_to(actor)
        .filter(pk=request.household_id)
        .annotate(by_postcode=_centroid_of())
        .values("street", "postcode", "complex_id", "latitude", "longitude", "by_postcode")
        .first()
    )
    if place is None:
        return []
    found = (
        _suggestion(helper, request=request, place=place)
        for helper in _candidates(actor=actor, request=request, place=place)
    )
    suggestions = sorted((s for s in found if s is not None), key=lambda s: s.rank)[:limit]
    log_access(
        actor=actor,
        action=AccessLog.Action.SEARCH,
        detail={"help_request": request.pk, "helpers": [s.helper.pk for s in suggestions]},
        legal_basis=AccessBasis.CONSENT,
    )
    return suggestions
