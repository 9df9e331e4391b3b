"""Privacy by design (ADR 0010): retention terms, emergency access and the daily report of
unusual access."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import rules
from cases.models.households import Household
from cases.workflow import EmergencyRequestStatus
from partners.models import Membership, Organisation


class RetentionTerm(models.Model):
    """How many months after its moment a kind of data is anonymised (the access log: removed).

    Case data has a term per data controller (ADR 0015): each organisation sets the terms of
    the records it holds, and only its administrators and privacy officers may change them. The
    access log has one term for the installation (organisation empty), kept by the installation
    administrators; its database trigger reads that row.

    A shorter term waits: it is announced to the organisation's privacy officers and takes the
    place of `months` only from `pending_from` (the nightly run promotes it)."""

    class Kind(models.TextChoices):
        SIGNALS = "signals", _("closed signals")
        VISITS = "visits", _("notes of home visits")
        REFERRALS = "referrals", _("closed referrals")
        CONSENTS = "consents", _("ended consents")
        JOINT_CASES = "joint_cases", _("closed joint cases")
        PACKAGES = "packages", _("delivered and declined support packages")
        HISTORY = "history", _("household history")
        EMERGENCY = "emergency", _("reasons for emergency access")
        ACCESS_LOG = "access_log", _("access log")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind of data"), max_length=20, choices=Kind.choices)
    months = models.PositiveSmallIntegerField(_("months"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # A shorter term, announced, in force from pending_from.
    pending_months = models.PositiveSmallIntegerField(
        _("new term in months"), null=True, blank=True
    )
    pending_from = models.DateTimeField(_("in force from"), null=True, blank=True)
    pending_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("retention term")
        verbose_name_plural = _("retention terms")
        ordering = ["organisation_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="retention_term_one_per_organisation"
            ),
            # One installation-wide row per kind (NULLs are distinct in the constraint above).
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(organisation__isnull=True),
                name="retention_term_one_installation_wide",
            ),
            # The access log is installation-wide; case data belongs to an organisation.
            models.CheckConstraint(
                condition=(Q(kind="access_log") & Q(organisation__isnull=True))
                | (~Q(kind="access_log") & Q(organisation__isnull=False)),
                name="retention_term_controller",
            ),
            # The access log is the accountability of every organisation: never shorter than a
            # year, whoever changes the term (the trigger reads this row).
            models.CheckConstraint(
                condition=~Q(kind="access_log") | Q(months__gte=12),
                name="retention_access_log_at_least_a_year",
            ),
            models.CheckConstraint(
                condition=~Q(kind="access_log")
                | Q(pending_months__isnull=True)
                | Q(pending_months__gte=12),
                name="retention_access_log_pending_at_least_a_year",
            ),
            models.CheckConstraint(condition=Q(months__gte=1), name="retention_at_least_a_month"),
            models.CheckConstraint(
                condition=Q(pending_months__isnull=True, pending_from__isnull=True)
                | Q(pending_months__gte=1, pending_from__isnull=False),
                name="retention_pending_with_its_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.months}"


# Each term's months until an organisation (or, for the access log, the installation) sets it.
DEFAULT_MONTHS = {
    RetentionTerm.Kind.SIGNALS: 24,
    RetentionTerm.Kind.VISITS: 24,
    RetentionTerm.Kind.REFERRALS: 24,
    RetentionTerm.Kind.CONSENTS: 24,
    RetentionTerm.Kind.JOINT_CASES: 24,
    RetentionTerm.Kind.PACKAGES: 24,
    RetentionTerm.Kind.HISTORY: 60,
    RetentionTerm.Kind.EMERGENCY: 60,
    RetentionTerm.Kind.ACCESS_LOG: 60,
}
# What an administrator may choose, in months. The access log keeps at least a year (also a
# database constraint) and at most ten; the rest at least a month and at most twenty years.
BOUNDS = {kind: (1, 240) for kind in RetentionTerm.Kind.values} | {
    RetentionTerm.Kind.ACCESS_LOG: (12, 120)
}
# The kinds each organisation keeps for the records it holds (the access log is the
# installation's).
CONTROLLER_KINDS = [kind for kind in RetentionTerm.Kind.values if kind != "access_log"]


class EmergencyAccessQuerySet(models.QuerySet):
    def active_for(self, actor: Membership):
        """The actor's own emergency accesses whose window is open now: this person, acting for
        this organisation; never their colleagues."""
        if actor is None:
            return self.none()
        return self.filter(
            rules.emergency_open_q(
                user_id=actor.user_id, organisation_id=actor.organisation_id, now=timezone.now()
            )
        )

    def counted_for(self, user_id: int, *, since):
        """What the emergency limit counts: the person's emergency accesses started since this
        moment, for whichever organisation they acted, approved ones included (ADR 0018)."""
        return self.filter(user_id=user_id, started_at__gte=since)


class EmergencyAccess(models.Model):
    """Noodtoegang: a worker opened a household outside their view, with a reason, for a limited
    time (EMERGENCY_ACCESS_HOURS). Reported to the privacy officers at once."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30, choices=Membership.Role.choices)
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["user", "organisation", "ends_at"], name="emergency_actor"),
            models.Index(fields=["household", "-started_at"], name="emergency_household"),
            models.Index(fields=["started_at"], name="emergency_started"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("started_at")), name="emergency_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.household_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ends_at > timezone.now()


class EmergencyAccessRequest(models.Model):
    """A worker past the emergency limit (EMERGENCY_ACCESS_LIMIT per EMERGENCY_ACCESS_PERIOD_DAYS)
    asks a privacy officer of their organisation first (ADR 0018). It gives no access: only its
    approval opens an `EmergencyAccess`, from that moment; refused or expired it opens nothing."""

    Status = EmergencyRequestStatus

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="emergency_requests"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30, choices=Membership.Role.choices)
    reason = models.TextField(_("reason"))
    requested_at = models.DateTimeField(default=timezone.now)
    # Not decided by then, it is expired (EMERGENCY_REQUEST_HOURS).
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WACHT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusing"), blank=True, default="")
    access = models.OneToOneField(
        EmergencyAccess, null=True, blank=True, on_delete=models.PROTECT, related_name="request"
    )

    class Meta:
        verbose_name = _("request for emergency access")
        verbose_name_plural = _("requests for emergency access")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(
                fields=["organisation", "status", "-requested_at"], name="emergency_request_org"
            ),
            models.Index(fields=["user", "household", "status"], name="emergency_request_user"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("requested_at")),
                name="emergency_request_expires_after",
            ),
            # Waiting: nobody decided. Decided: by whom and when; approved with its access.
            models.CheckConstraint(
                condition=(
                    Q(
                        status=EmergencyRequestStatus.WACHT,
                        decided_at__isnull=True,
                        decided_by__isnull=True,
                        access__isnull=True,
                    )
                    | Q(
                        status=EmergencyRequestStatus.GOEDGEKEURD,
                        decided_at__isnull=False,
                        decided_by__isnull=False,
                        access__isnull=False,
                    )
                    | Q(
                        status=EmergencyRequestStatus.GEWEIGERD,
                        decided_at__isnull=False,
                        decided_by__isnull=False,
                        access__isnull=True,
                    )
                ),
                name="emergency_request_decided_once",
            ),
        ]

    def __str__(self):
        return f"{self.household_id} {self.requested_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WACHT and self.expires_at > timezone.now()

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.WACHT and self.expires_at <= timezone.now()


class AccessReport(models.Model):
    """The daily report of unusual access for one organisation's privacy officers: ids of people
    and households only, never names (the page shows them to whom may see them)."""

    class Finding(models.TextChoices):
        MANY_HOUSEHOLDS = "many_households", _("opened many more households than usual")
        NO_RELATION = "no_relation", _("opened a household without an open relation")
        EMERGENCY = "emergency", _("emergency access")
        EMERGENCY_LOOKUPS = "emergency_lookups", _("looked up addresses for emergency access")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    # [{"kind": Finding, "user": id, "organisation": id, "household": id|None, "count": n,
    #   "usual": n, "emergency": id|None, "lookups": n}]
    findings = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report of unusual access")
        verbose_name_plural = _("reports of unusual access")
        ordering = ["-day", "-id"]
        constraints = [
            # The beat job may run twice: the second finds the report and adds nothing.
            models.UniqueConstraint(fields=["organisation", "day"], name="access_report_one_a_day")
        ]

    def __str__(self):
        return f"{self.organisation} {self.day}"
