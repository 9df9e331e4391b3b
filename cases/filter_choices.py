"""The lists' filter choices, kept in the cache a few minutes per organisation (ADR 0012).

A courtesy, not a dependency: when the cache cannot be reached the choices are read from the
database, so the pages people use all day do not go down with Redis."""

import logging

from django.core.cache import cache

from cases.selectors import neighbourhoods_of
from partners.models import Membership

logger = logging.getLogger(__name__)

NEIGHBOURHOOD_CHOICES_SECONDS = 5 * 60


def _key(organisation_id: int) -> str:
    return f"list-neighbourhoods:{organisation_id}"


def _read(actor: Membership) -> list[tuple[int, str]]:
    areas = neighbourhoods_of(actor=actor).order_by("municipality", "name")
    return [
        (pk, f"{name} ({town})")
        for pk, name, town in areas.values_list("pk", "name", "municipality")
    ]


def neighbourhood_choices(*, actor: Membership) -> list[tuple[int, str]]:
    """neighbourhoods_of as the household and signal lists' filter offers them, (id, "name
    (town)"): three queries and 150 rows a large corporation would otherwise read on every
    list page. An import forgets them at once; a household shared with the organisation later
    appears within NEIGHBOURHOOD_CHOICES_SECONDS. Only names of neighbourhoods are kept; the
    list itself is filtered through visible_to."""
    key = _key(actor.organisation_id)
    try:
        choices = cache.get(key)
    except Exception:
        logger.warning("Cache unreachable; the filter's neighbourhoods come from the database.")
        return _read(actor)
    if choices is None:
        choices = _read(actor)
        try:
            cache.set(key, choices, timeout=NEIGHBOURHOOD_CHOICES_SECONDS)
        except Exception:
            logger.warning("Cache unreachable; the filter's neighbourhoods are not kept.")
    return choices


def neighbourhood_choices_forget(*, organisation_id: int) -> None:
    """After an import changed the organisation's households: offer its neighbourhoods anew."""
    try:
        cache.delete(_key(organisation_id))
    except Exception:
        logger.warning("Cache unreachable; the filter's neighbourhoods were not forgotten.")
