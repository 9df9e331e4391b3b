"""What the costs-and-savings ledger weighs (ADR 0009): hourly rates of organisations, their
estimates of the costs a resolved signal avoids them, and the hours of shared workers, entered
per month or taken from the agreed split. Rates, estimates and splits apply from a month on."""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models.signals import SignalCategory
from partners.models import Organisation


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """The first of the month `count` months after (or before) `month`."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole months, from the first day of `first_month` to the last day of `last_month`."""

    first_month: date
    last_month: date
    kind: str = "anders"

    @property
    def start(self) -> date:
        return self.first_month

    @property
    def end(self) -> date:
        return self.last_month.replace(
            day=monthrange(self.last_month.year, self.last_month.month)[1]
        )

    def months(self) -> list[date]:
        months, month = [], self.first_month
        while month <= self.last_month:
            months.append(month)
            month = add_months(month, 1)
        return months

    @property
    def label(self) -> str:
        if self.kind == "jaar":
            return str(self.first_month.year)
        if self.kind == "kwartaal":
            return gettext("quarter %(quarter)s of %(year)s") % {
                "quarter": (self.first_month.month - 1) // 3 + 1,
                "year": self.first_month.year,
            }
        if self.first_month == self.last_month:
            return date_format(self.first_month, "F Y")
        return f"{date_format(self.first_month, 'F Y')} – {date_format(self.last_month, 'F Y')}"


class HourlyRate(models.Model):
    """What an hour of work costs an organisation, from a month on; set by its administrators."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("hourly rate in euros"), max_digits=6, decimal_places=2)
    valid_from = models.DateField(_("from"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("hourly rate")
        verbose_name_plural = _("hourly rates")
        ordering = ["organisation", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_from"], name="hourly_rate_one_per_month"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="hourly_rate_positive"),
        ]

    def __str__(self):
        return f"{self.organisation_id} € {self.amount} ({self.valid_from:%Y-%m})"


class AvoidedCost(models.Model):
    """An organisation's estimate of the cost it avoids when a signal of a category is resolved,
    with the source of the estimate. Each organisation keeps its own (ADR 0009)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("saved by"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        SignalCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("estimated avoided cost"), max_digits=9, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("from"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("avoided-cost estimate")
        verbose_name_plural = _("avoided-cost estimates")
        ordering = ["organisation", "category__position", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "category", "valid_from"],
                name="avoided_cost_one_per_month",
            ),
            # Zero ends an earlier estimate from that month on.
            models.CheckConstraint(condition=Q(amount__gte=0), name="avoided_cost_not_negative"),
            models.CheckConstraint(condition=~Q(source=""), name="avoided_cost_has_a_source"),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.category_id} € {self.amount}"


class WorkedHours(models.Model):
    """The hours a shared worker entered for one organisation in one month."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("worked hours")
        verbose_name_plural = _("worked hours")
        ordering = ["-month", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "month"], name="worked_hours_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=200), name="worked_hours_in_range"
            ),
        ]
        indexes = [models.Index(fields=["month", "organisation"], name="worked_hours_month")]

    def __str__(self):
        return f"{self.user_id} {self.organisation_id} {self.month:%Y-%m}: {self.hours}"


class HoursSplit(models.Model):
    """The agreed split of a shared worker's hours over their organisations, from a month on,
    e.g. 16 hours a week: 50% corporation, 30% welfare, 20% municipality."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hours_splits"
    )
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=2)
    valid_from = models.DateField(_("from"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_for = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agreed split of hours")
        verbose_name_plural = _("agreed splits of hours")
        ordering = ["user", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "valid_from"], name="hours_split_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0) & Q(hours_per_week__lte=60),
                name="hours_split_week_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.hours_per_week} h/week from {self.valid_from:%Y-%m}"


class HoursSplitShare(models.Model):
    """One organisation's percentage of an agreed split."""

    split = models.ForeignKey(HoursSplit, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    percent = models.PositiveSmallIntegerField(_("percentage"))

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        ordering = ["-percent", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["split", "organisation"], name="hours_split_share_unique"
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="hours_split_share_max"),
        ]

    def __str__(self):
        return f"{self.organisation_id}: {self.percent}%"
