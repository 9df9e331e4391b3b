"""The access log (NEN 7513): one row per read, search, export or change of household data."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.workflow import AccessBasis
from partners.models import Membership, Organisation


class AccessLog(models.Model):
    """One row per read, search, export and change of household data (NEN 7513): who, when, on
    behalf of which organisation, which household, what, on which legal basis, from where.

    Append-only: a database trigger refuses UPDATE, and DELETE of every row younger than the
    access log's retention term (migrations 0002 and 0008, ADR 0010); on PostgreSQL the
    application's role may only SELECT and INSERT it (ADR 0017). A row the installation writes
    itself (the removal of rows past their term) has no person and no organisation."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        SEARCH = "search", _("searched")
        EXPORT = "export", _("exported")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        IMPORT = "import", _("imported")
        EMERGENCY = "emergency", _("opened in an emergency")
        ERASE = "erase", _("erased on request")
        AUDIT = "audit", _("read the access log")
        PRUNE = "prune", _("removed past its retention term")

    LegalBasis = AccessBasis

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The foreign keys have no index of their own: each leads one of the indexes below, which
    # serves their lookups as well; every index costs each row of every page's log (ADR 0012).
    # Empty only in the rows the installation writes itself (Action.PRUNE), run by the operator.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    role = models.CharField(max_length=30, choices=Membership.Role.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    household = models.ForeignKey(
        "cases.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # The household's corporation, so its privacy officer reads the log of its households from
    # one index, without a join over millions of rows (the viewer, ADR 0010).
    household_corporation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=50, blank=True)
    legal_basis = models.CharField(max_length=20, choices=LegalBasis.choices)
    origin = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["household", "-at"], name="accesslog_household_at"),
            models.Index(fields=["organisation", "-at"], name="accesslog_organisation_at"),
            models.Index(fields=["user", "-at"], name="accesslog_user_at"),
            models.Index(fields=["household_corporation", "-at"], name="accesslog_corporation_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.household_id}"
