"""An import of households from a rental system's CSV export, and its state."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import rules
from partners.models import ApiClient, Membership, Organisation


class HouseholdImportQuerySet(models.QuerySet):
    def visible_to(self, actor: Membership):
        """An import is seen only by its own organisation."""
        if not rules.acts_for_organisation(actor):
            return self.none()
        return self.filter(organisation_id=actor.organisation_id)


class HouseholdImport(models.Model):
    """One uploaded CSV export of a corporation's rental system: its text (web processes keep
    nothing on disk), what validation found, and the outcome of importing it.

    The text and the sample are emptied once the import is done, so no second copy of the
    tenant list lingers in the database."""

    class Status(models.TextChoices):
        INVALID = "invalid", _("has invalid rows")
        VALIDATED = "validated", _("ready to import")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    # A person uploaded it on the pages, or the rental system sent it through the API (ADR 0024):
    # one of the two, never neither.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    api_client = models.ForeignKey(
        ApiClient,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    file_name = models.CharField(_("file"), max_length=255)
    encoding = models.CharField(max_length=20)
    delimiter = models.CharField(max_length=1)
    content = models.TextField(blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    total_rows = models.PositiveIntegerField(default=0)
    new_rows = models.PositiveIntegerField(default=0)
    updated_rows = models.PositiveIntegerField(default=0)
    unchanged_rows = models.PositiveIntegerField(default=0)
    invalid_rows = models.PositiveIntegerField(default=0)
    # [{"row": line number, "column": header or "", "code": ..., "params": {...}, "message": ...}]
    errors = models.JSONField(default=list, blank=True)
    sample = models.JSONField(default=list, blank=True)
    # Possible duplicates per line (ADR 0026): [{"row": line, "tenancy_reference": ...,
    # "matches": [{"kind": ..., ...}]}]; emptied with the sample.
    duplicates = models.JSONField(default=list, blank=True)
    ignored_columns = models.JSONField(default=list, blank=True)
    # Who pressed "Import": their user, role and organisation go into the access log. Empty for
    # a batch the API started: its client is the actor (api_client).
    started_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(max_length=64, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)

    objects = HouseholdImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("household import")
        verbose_name_plural = _("household imports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="import_organisation_at")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(created_by__isnull=False) | models.Q(api_client__isnull=False),
                name="import_has_a_sender",
            )
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def sender_name(self) -> str:
        """Who sent it, as the list of imports shows: the person, or the system (by its name
        now: the access log keeps the name it had then)."""
        if self.created_by_id:
            return self.created_by.name
        return _("system %(name)s") % {"name": self.api_client.name}

    @property
    def is_queued(self) -> bool:
        """Confirmed and waiting for, or in, its task. The status turns running only inside the
        import's own transaction, which other connections do not see until it is done."""
        return self.status == self.Status.VALIDATED and self.queued_at is not None

    @property
    def shown_status(self) -> str:
        return self.Status.RUNNING if self.is_queued else self.status

    def get_shown_status_display(self) -> str:
        return self.Status(self.shown_status).label
