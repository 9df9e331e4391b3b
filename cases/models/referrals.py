"""Referrals (verwijzingen) between organisations, on consent or the vroegsignalering route."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import rules
from cases.models.agreements import Agreement
from cases.models.consents import Consent
from cases.models.households import Household
from cases.models.signals import Signal
from cases.workflow import (
    REFERRAL_OPEN,
    DeclineReason,
    LegalBasis,
    ReferralOutcome,
    ReferralStatus,
)
from partners.models import Membership, Organisation


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, actor: Membership):
        """Referrals the actor's organisation sent or received."""
        if not rules.acts_for_organisation(actor):
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
        return self.filter(rules.referral_shares_q(organisation_id, **rules.sharing_window()))


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
    # An onward referral (doorverwijzing, ADR 0023): the referral through which the sending
    # partner holds the household. Empty for a referral from the household's corporation.
    via_referral = models.ForeignKey(
        "self",
        verbose_name=_("referred on from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="onward",
    )

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

    def chain(self) -> list["Referral"]:
        """The referrals this one was referred onward from, nearest first, with their
        organisations (ADR 0023): one query per link, and a chain is a few links long."""
        links, via_id = [], self.via_referral_id
        while via_id is not None:
            link = Referral.objects.select_related("from_organisation", "to_organisation").get(
                pk=via_id
            )
            links.append(link)
            via_id = link.via_referral_id
        return links
