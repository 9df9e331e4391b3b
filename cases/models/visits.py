"""Home visits (huisbezoeken) by a corporation's workers."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.households import Household
from cases.workflow import VisitKind, VisitOutcome
from partners.models import Organisation


class HomeVisit(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("date of the visit"))
    kind = models.CharField(_("kind of visit"), max_length=20, choices=VisitKind.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=VisitOutcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # When the server stored it (arrival). A visit typed on a phone without a network arrives
    # later: made_at is when the person saved it there, device_key the key made there, which
    # the server honours once per person (ADR 0016, ADR 0030).
    created_at = models.DateTimeField(default=timezone.now)
    made_at = models.DateTimeField(_("saved on the device"), null=True, blank=True)
    device_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["-visited_on", "-created_at"]
        indexes = [models.Index(fields=["household", "-visited_on"], name="visit_household")]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "device_key"],
                condition=models.Q(device_key__isnull=False),
                name="visit_once_per_device_key",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.visited_on}"
