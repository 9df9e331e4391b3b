"""Requests for informal help from a household's plan (vragen), the helpers proposed for them
(matches) and the help given (ADR 0033)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import rules
from cases.models.helpers import Helper
from cases.models.households import Household
from cases.models.joint_cases import CaseAction
from cases.models.signals import Signal
from cases.workflow import (
    MATCH_ACTIVE,
    ConsentHow,
    HelpKind,
    HelpRequestStatus,
    MatchStatus,
)
from partners.models import Organisation


class HelpRequestQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """The one door to requests (cases.access.rules.help_request_q): those of the
        households the actor may see; a helper's link only those proposed to its helper."""
        q = rules.help_request_q(
            actor,
            households=Household.objects.visible_to(actor).values("pk"),
            proposed=HelpMatch.objects.visible_to(actor).values("request_id"),
        )
        return self.none() if q is None else self.filter(q)


class HelpMatchQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """The one door to matches (cases.access.rules.help_match_q): those of the requests
        of the households the actor may see; a helper's link only its own helper's live
        ones."""
        q = rules.help_match_q(actor, households=Household.objects.visible_to(actor).values("pk"))
        return self.none() if q is None else self.filter(q)


class HelpRequest(models.Model):
    """A request for informal help for a household (vraag), made by a worker from a signal or
    an action of a joint case, with the household's consent for exactly this: that a neighbour
    who helps learns their first name, street and contact details once both sides agree."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="help_requests")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    signal = models.ForeignKey(
        Signal, null=True, blank=True, on_delete=models.PROTECT, related_name="help_requests"
    )
    action = models.ForeignKey(
        CaseAction, null=True, blank=True, on_delete=models.PROTECT, related_name="help_requests"
    )
    kind = models.CharField(_("kind of help"), max_length=20, choices=HelpKind.choices)
    description = models.CharField(_("what"), max_length=300)
    days = models.JSONField(_("days"), default=list, blank=True)
    day_parts = models.JSONField(_("parts of the day"), default=list, blank=True)
    place = models.CharField(_("where, roughly"), max_length=200, blank=True)
    needs_vog = models.BooleanField(_("needs a VOG"), default=False)
    # The household's consent for this request, and who recorded it.
    consent_given_on = models.DateField(_("consent given on"))
    consent_how = models.CharField(_("consent given"), max_length=20, choices=ConsentHow.choices)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=HelpRequestStatus.choices,
        default=HelpRequestStatus.OPEN,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request for informal help")
        verbose_name_plural = _("requests for informal help")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "kind"], name="helprequest_open_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(signal__isnull=False) | Q(action__isnull=False),
                name="helprequest_from_the_plan",
            ),
        ]

    def __str__(self):
        return f"{self.household_id}:{self.kind}"


class HelpMatch(models.Model):
    """A helper proposed for a request by a worker. Contact details are exchanged only when
    agreed: the helper accepted through their link and the household agreed through the
    worker (MatchStatus)."""

    class Side(models.TextChoices):
        HELPER = "helper", _("the helper")
        HOUSEHOLD = "huishouden", _("the household")
        WORKER = "medewerker", _("the worker")

    request = models.ForeignKey(HelpRequest, on_delete=models.PROTECT, related_name="matches")
    helper = models.ForeignKey(Helper, on_delete=models.PROTECT, related_name="matches")
    status = models.CharField(
        _("status"), max_length=20, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    # Why this helper was suggested, as shown when proposed ("woont 300 m verderop, ...").
    explanation = models.JSONField(default=list, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    helper_answered_at = models.DateTimeField(null=True, blank=True)
    household_agreed_at = models.DateTimeField(null=True, blank=True)
    household_agreed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    # The last thing that happened (a step, help given): for the reminder when it is quiet.
    last_activity_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=20, choices=Side.choices, blank=True)
    end_reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = HelpMatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["helper", "status"], name="helpmatch_load_idx"),
            models.Index(
                fields=["last_activity_at"],
                condition=Q(status=MatchStatus.AGREED),
                name="helpmatch_quiet_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "helper"],
                condition=Q(status__in=MATCH_ACTIVE),
                name="helpmatch_one_active_per_helper",
            ),
            models.CheckConstraint(
                condition=~Q(status=MatchStatus.AGREED)
                | (Q(helper_answered_at__isnull=False) & Q(household_agreed_at__isnull=False)),
                name="helpmatch_agreed_by_both",
            ),
        ]

    def __str__(self):
        return f"{self.request_id}→{self.helper_id} {self.status}"


class HelpGiven(models.Model):
    """Help given under an agreed match: the date and roughly how long. Recorded by the worker
    or by the helper through their link (`agent`). Counted as hours of informal help in the
    ledger (ADR 0033)."""

    match = models.ForeignKey(HelpMatch, on_delete=models.PROTECT, related_name="help_given")
    given_on = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("roughly how long (minutes)"))
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agent = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("help given")
        verbose_name_plural = _("help given")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=24 * 60), name="helpgiven_minutes"
            ),
            models.CheckConstraint(
                condition=(Q(recorded_by__isnull=False) & Q(agent=""))
                | (Q(recorded_by__isnull=True) & ~Q(agent="")),
                name="helpgiven_one_recorder",
            ),
        ]

    def __str__(self):
        return f"{self.match_id} {self.given_on}"
