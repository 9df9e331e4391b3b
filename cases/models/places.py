"""Where addresses lie: the centroids of four-digit postcode areas (PC4), imported from a file
(import_postcode_centroids), to give helpers and households a place when none was entered or
imported (ADR 0034)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PostcodeCentroid(models.Model):
    """The middle of a four-digit postcode area, in WGS84 degrees."""

    pc4 = models.CharField(_("four-digit postcode"), max_length=4, primary_key=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    # Where the row came from (the file's name and the day it was read), for whoever asks.
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("postcode centroid")
        verbose_name_plural = _("postcode centroids")
        ordering = ["pc4"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pc4__regex=r"^[1-9][0-9]{3}$"), name="postcodecentroid_pc4"
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="postcodecentroid_on_earth",
            ),
        ]

    def __str__(self):
        return self.pc4
