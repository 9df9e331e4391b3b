"""A household's consent to share its data with one organisation for a purpose."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import rules
from cases.models.households import Household
from cases.models.signals import SignalCategory
from partners.models import Organisation


class ConsentQuerySet(models.QuerySet):
    def in_force(self, on=None):
        return self.filter(rules.consent_in_force_q(today=on or timezone.localdate()))


class Consent(models.Model):
    """A household's consent to share its data with one organisation for a purpose."""

    class GivenHow(models.TextChoices):
        MONDELING = "mondeling", _("orally")
        SCHRIFTELIJK = "schriftelijk", _("in writing")

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="consents")
    receiving_organisation = models.ForeignKey(
        Organisation, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    categories = models.ManyToManyField(
        SignalCategory, verbose_name=_("signal categories"), related_name="+"
    )
    given_how = models.CharField(_("given"), max_length=20, choices=GivenHow.choices)
    given_on = models.DateField(_("date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_for = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-recorded_at"]
        indexes = [
            models.Index(fields=["household", "receiving_organisation"], name="consent_lookup")
        ]

    def __str__(self):
        return f"{self.household_id} → {self.receiving_organisation}"
