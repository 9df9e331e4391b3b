"""Joint cases (casussen): several organisations working for one household, with one
coordinator (regisseur), an action plan and notes shared per note."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import rules
from cases.models.consents import Consent
from cases.models.households import Household
from cases.models.referrals import Referral
from cases.workflow import JointCaseStatus
from partners.models import Membership, Organisation


class JointCaseQuerySet(models.QuerySet):
    def visible_to(self, actor: Membership, *, ids_first: bool = False):
        """Cases the actor's organisation takes part in (the corporation always does for its own
        households), and only while it may see the household itself. `ids_first` reads the
        households shared with the actor first, as lists do (HouseholdQuerySet.visible_to)."""
        if not rules.acts_for_organisation(actor):
            return self.none()
        participating = CaseParticipant.objects.filter(
            organisation_id=actor.organisation_id
        ).values("case_id")
        own_or_taking_part = rules.own_or_shared_q(
            actor.organisation_id, participating, own="household__corporation_id"
        )
        return self.filter(own_or_taking_part).filter(
            household__in=Household.objects.visible_to(actor, ids_first=ids_first)
        )

    def open(self):
        return self.filter(status=JointCase.Status.OPEN)


class JointCase(models.Model):
    """A casus: one household, one coordinating organisation, open or closed with a summary."""

    Status = JointCaseStatus

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="joint_cases")
    coordinator_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("coordinating organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closing_summary = models.TextField(_("closing summary"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = JointCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint case")
        verbose_name_plural = _("joint cases")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # One open case per household: partners join it rather than start another.
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="open"),
                name="joint_case_one_open_per_household",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(closing_summary=""),
                name="joint_case_closed_with_summary",
            ),
        ]
        indexes = [models.Index(fields=["household", "status"], name="joint_case_household")]

    def __str__(self):
        return f"{self.household} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CaseParticipantQuerySet(models.QuerySet):
    def on_consent_in_force(self, organisation_id: int):
        """Participations in open cases that rest on a consent still in force."""
        return self.filter(
            rules.participation_on_consent_q(organisation_id, today=timezone.localdate())
        )


class CaseParticipant(models.Model):
    """An organisation taking part in a case: the household's corporation, or another one
    through an accepted referral or a consent in force."""

    case = models.ForeignKey(JointCase, on_delete=models.PROTECT, related_name="participants")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    via_referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    via_consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    objects = CaseParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"], name="case_participant_unique"
            ),
        ]

    def __str__(self):
        return str(self.organisation)


class CaseAction(models.Model):
    """One line of the action plan: what, whose, before when, and when it was done."""

    case = models.ForeignKey(JointCase, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(_("action"), max_length=500)
    owner_organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["done_at", "due_on", "id"]

    def __str__(self):
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class CaseNote(models.Model):
    """A note in a case, seen by the author's organisation only or by every participant."""

    class Visibility(models.TextChoices):
        OWN = "own", _("my organisation only")
        ALL = "all", _("all participants")

    case = models.ForeignKey(JointCase, on_delete=models.PROTECT, related_name="notes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    visibility = models.CharField(
        _("visible to"), max_length=3, choices=Visibility.choices, default=Visibility.OWN
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"], name="case_note_case_at")]

    def __str__(self):
        return f"{self.case_id} {self.created_at:%Y-%m-%d}"

    @classmethod
    def visible_q(cls, organisation_id: int) -> Q:
        return Q(visibility=cls.Visibility.ALL) | Q(organisation_id=organisation_id)
