"""Agreements between organisations (samenwerkingsafspraken): which categories one may refer to
the other, and in how many working days the receiver responds. They live in cases, not
partners, because they name signal categories (ADR 0008)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import rules
from cases.models.signals import SignalCategory
from partners.models import Membership, Organisation


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, actor: Membership):
        """Administrators of both sides see their agreements."""
        if not rules.acts_for_organisation(actor):
            return self.none()
        return self.filter(Q(first_id=actor.organisation_id) | Q(second_id=actor.organisation_id))

    def in_force(self, on=None):
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )

    def between(self, one_id: int, other_id: int):
        return self.filter(
            Q(first_id=one_id, second_id=other_id) | Q(first_id=other_id, second_id=one_id)
        )


class Agreement(models.Model):
    """A samenwerkingsafspraak: which categories one organisation may refer to the other, and
    how many working days the receiver has to respond."""

    first = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    second = models.ForeignKey(
        Organisation, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="+"
    )
    categories = models.ManyToManyField(
        SignalCategory, verbose_name=_("signal categories"), related_name="+"
    )
    response_days = models.PositiveSmallIntegerField(_("response deadline in working days"))
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(first=models.F("second")), name="agreement_two_organisations"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.first} ↔ {self.second}"
