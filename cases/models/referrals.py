"""Agreements between organisations, consent of households, and referrals between them.

Agreements live in cases, not partners, because they name signal categories (ADR 0008)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.households import Household
from cases.models.signals import Signal, SignalCategory
from cases.workflow import (
    REFERRAL_OPEN,
    DeclineReason,
    LegalBasis,
    ReferralOutcome,
    ReferralStatus,
)
from partners.models import Membership, Organisation


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, actor: Membership):
        """Administrators of both sides see their agreements."""
        if actor is None:
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


class ConsentQuerySet(models.QuerySet):
    def in_force(self, on=None):
        on = on or timezone.localdate()
        return self.filter(given_on__lte=on, withdrawn_on__isnull=True).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on)
        )


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


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, actor: Membership):
        """Referrals the actor's organisation sent or received."""
        if actor is None:
            return self.none()
        return self.filter(
            Q(from_organisation_id=actor.organisation_id)
            | Q(to_organisation_id=actor.organisation_id)
        )

    def open(self):
        return self.filter(status__in=REFERRAL_OPEN)

    def shared_with(self, organisation_id: int):
        """Referrals through which a receiving organisation may see the household now: open,
        or closed less than REFERRAL_ACCESS_DAYS_AFTER_CLOSE days ago, on a basis that holds."""
        today = timezone.localdate()
        cutoff = timezone.now() - timedelta(days=settings.REFERRAL_ACCESS_DAYS_AFTER_CLOSE)
        basis_holds = Q(legal_basis=LegalBasis.VROEGSIGNALERING) | (
            Q(consent__withdrawn_on__isnull=True)
            & (Q(consent__ends_on__isnull=True) | Q(consent__ends_on__gte=today))
        )
        # A referral declined or withdrawn before it was accepted gave nothing to work with.
        in_time = Q(status__in=REFERRAL_OPEN) | Q(
            status=ReferralStatus.AFGEROND, closed_at__gte=cutoff
        )
        return self.filter(to_organisation_id=organisation_id).filter(in_time & basis_holds)


class Referral(models.Model):
    """A verwijzing: one organisation asks another to help a household with chosen signals."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(
        Organisation, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        Organisation, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    to_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("colleague"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signals = models.ManyToManyField(Signal, verbose_name=_("signals"), related_name="referrals")
    message = models.TextField(_("message"), blank=True)
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="referrals")
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    # The preconditions of the Besluit gemeentelijke schuldhulpverlening, art. 2, as recorded.
    preconditions = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.VERZONDEN
    )
    deadline = models.DateField(_("respond before"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_category = models.CharField(
        _("reason for declining"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    decline_reason = models.CharField(_("reason"), max_length=500, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ReferralOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("about the outcome"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["to_organisation", "status", "deadline"], name="referral_inbox"),
            models.Index(fields=["to_organisation", "deadline", "id"], name="referral_inbox_all"),
            models.Index(fields=["from_organisation", "-sent_at"], name="referral_outbox"),
            models.Index(fields=["household", "status"], name="referral_household"),
        ]

    def __str__(self):
        return f"{self.from_organisation} → {self.to_organisation} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in REFERRAL_OPEN
