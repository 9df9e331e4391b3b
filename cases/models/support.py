"""Support packages (ondersteuningspakketten): furnishing, white goods, floor covering or budget
coaching for a household, paid by an organisation that works with it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import rules
from cases.models.households import Household
from cases.workflow import PackageItem, PackageStatus
from partners.models import Membership, Organisation


class SupportPackageQuerySet(models.QuerySet):
    def visible_to(self, actor: Membership):
        """Every package of the corporation's own households; for another organisation only the
        packages it requested or pays, never those between others."""
        if not rules.acts_for_organisation(actor):
            return self.none()
        org = actor.organisation_id
        return self.filter(
            Q(household__corporation_id=org)
            | Q(requested_for_id=org)
            | Q(paying_organisation_id=org)
        )


class SupportPackage(models.Model):
    """One package for a household: requested, approved or declined by the paying organisation,
    then delivered."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="support_packages"
    )
    item = models.CharField(_("what"), max_length=20, choices=PackageItem.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount in euros"), max_digits=7, decimal_places=2)
    paying_organisation = models.ForeignKey(
        Organisation, verbose_name=_("paid by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PackageStatus.choices,
        default=PackageStatus.AANGEVRAAGD,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_for = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=500, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = SupportPackageQuerySet.as_manager()

    class Meta:
        verbose_name = _("support package")
        verbose_name_plural = _("support packages")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="support_package_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(item="anders") | ~Q(description=""),
                name="support_package_other_is_described",
            ),
            models.CheckConstraint(
                condition=~Q(status="afgewezen") | ~Q(decline_reason=""),
                name="support_package_declined_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="geleverd") | Q(delivered_on__isnull=False),
                name="support_package_delivered_with_date",
            ),
        ]
        indexes = [
            models.Index(fields=["household", "-requested_at"], name="support_package_household"),
            # The ledger sums delivered packages per paying organisation and period.
            models.Index(
                fields=["paying_organisation", "status", "delivered_on"],
                name="support_package_ledger",
            ),
        ]

    def __str__(self):
        return f"{self.get_item_display()} € {self.amount} ({self.get_status_display()})"

    @property
    def what(self) -> str:
        """The item in words, with its description when there is one."""
        label = str(self.get_item_display())
        if self.description:
            return f"{label[:1].upper()}{label[1:]}: {self.description}"
        return f"{label[:1].upper()}{label[1:]}"
