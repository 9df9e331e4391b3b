"""Signals seen at a household, in categories every organisation shares (ADR 0007)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import rules
from cases.models.households import Household
from cases.models.visits import HomeVisit
from cases.workflow import OPEN_STATUSES, Severity, SignalStatus
from partners.models import Membership, Organisation


class SignalCategory(models.Model):
    """What a signal is about. Shared by all organisations, so agreements can name them;
    maintained by administrators."""

    class LifeArea(models.TextChoices):
        WONEN = "wonen", _("housing")
        FINANCIEN = "financien", _("finances")
        SOCIAAL = "sociaal", _("social contacts")
        GEZONDHEID = "gezondheid", _("health")
        PSYCHISCH = "psychisch", _("mental health")
        PARTICIPATIE = "participatie", _("participation")
        OVERIG = "overig", _("other")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    life_area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices)
    usual_partner_kind = models.CharField(
        _("usually goes to"), max_length=20, choices=Organisation.Kind.choices
    )
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    # The home-visit form shows the common categories first, and their life areas first
    # (forms.visits.category_groups): a flag the installation administrator sets, not a count,
    # so the form does not reorder itself under a worker's thumb.
    is_common = models.BooleanField(
        _("common"),
        default=False,
        help_text=_(
            "Seen at many home visits: on the visit form it comes first in its life area, and "
            "its life area among the first."
        ),
    )

    class Meta:
        verbose_name = _("signal category")
        verbose_name_plural = _("signal categories")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class SignalQuerySet(models.QuerySet):
    def visible_to(self, actor: Membership, *, ids_first: bool = False):
        """The corporation's own signals; a receiving organisation sees only the signals of
        referrals shared with it, never the household's other signals. `ids_first` reads the
        shared signals first, for lists (see HouseholdQuerySet.visible_to)."""
        if not rules.acts_for_organisation(actor):
            return self.none()
        shared = (
            self.model._meta.get_field("referrals")
            .related_model.objects.shared_with(actor.organisation_id)
            .values("signals")
        )
        if ids_first:
            shared = {pk for pk in shared.values_list("signals", flat=True) if pk is not None}
        return self.filter(
            rules.own_or_shared_q(actor.organisation_id, shared, own="household__corporation_id")
        )

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Signal(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="signals")
    visit = models.ForeignKey(
        HomeVisit, null=True, blank=True, on_delete=models.PROTECT, related_name="signals"
    )
    category = models.ForeignKey(
        SignalCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.CharField(_("short description"), max_length=300)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SignalStatus.choices, default=SignalStatus.OPEN
    )
    closed_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["household", "status"], name="signal_household_status"),
            models.Index(fields=["status", "follow_up_on"], name="signal_status_follow_up"),
            models.Index(fields=["category", "created_at"], name="signal_category_created"),
            models.Index(fields=["-created_at"], name="signal_created"),
            # The ledger counts the signals resolved in a period.
            models.Index(fields=["status", "status_changed_at"], name="signal_status_changed"),
        ]

    def __str__(self):
        return f"{self.category}: {self.description}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
