"""Give helpers and households without a place their four-digit postcode area's centroid
(ADR 0034), after import_postcode_centroids. Safe to repeat."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cases.services.places import places_fill


class Command(BaseCommand):
    help = "Fill the places of helpers and households without one from the postcode centroids."

    def handle(self, *args, **options):
        helpers, households = places_fill()
        self.stdout.write(
            _("Places filled in: %(helpers)s helpers and %(households)s households.")
            % {"helpers": helpers, "households": households}
        )
