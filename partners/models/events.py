"""Events to an organisation's own systems (issue 17 item 4, ADR 0029): what a system subscribed
to, the events written with what happened (the outbox, as notifications are), one delivery per
event and subscription, and every attempt to deliver it (the log an administrator reads).

No import of partners.models here: the package's __init__ imports this module (models refer to
each other by "partners.Name")."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventType(models.TextChoices):
    """The kinds of event a system can subscribe to: CloudEvents `type`, reverse-DNS style.
    A change of a type's data that breaks receivers gets a new type (`….v2`), never this one."""

    REFERRAL_RECEIVED = "nl.inclusie.verwijzing.ontvangen", _("referral received")
    DEADLINE_PASSED = "nl.inclusie.verwijzing.termijn-verstreken", _("referral deadline passed")
    CONSENT_WITHDRAWN = "nl.inclusie.toestemming.ingetrokken", _("consent withdrawn")


class EventSubscription(models.Model):
    """A system of the organisation (an API client) wants these events POSTed to its URL,
    signed with a secret shown once. It belongs to the client: a revoked or expired client
    gets no more events, at once; a paused subscription gets none until it is resumed."""

    client = models.ForeignKey(
        "partners.ApiClient", on_delete=models.PROTECT, related_name="subscriptions"
    )
    url = models.CharField(_("address"), max_length=500)
    types = models.JSONField(_("events"), default=list)
    # The signing secret (`whsec_…`), encrypted with a key derived from SECRET_KEY
    # (partners.services.events.secret_seal): the server must sign with it, a copy of the
    # database alone cannot.
    secret = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    paused_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("event subscription")
        verbose_name_plural = _("event subscriptions")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.client_id} → {self.url}"

    @property
    def type_labels(self) -> list[str]:
        return [str(EventType(t).label) for t in self.types if t in EventType.values]


class Event(models.Model):
    """Something that happened for one organisation, written in the transaction of what
    happened, only when a system of that organisation subscribed to its type. Thin: ids and
    statuses, never names or addresses; the system reads the rest through the API (logged).
    `uid` is the CloudEvent's id and the webhook-id, the same on every attempt and resend."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    type = models.CharField(max_length=100, choices=EventType.choices)
    subject = models.CharField(max_length=200)
    data = models.JSONField(default=dict)
    # Once per organisation and key (a deadline passes once), however often a check runs.
    dedupe_key = models.CharField(max_length=120, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="event_once_per_key",
            ),
        ]

    def __str__(self):
        return f"{self.type} {self.subject}"


class Outcome(models.TextChoices):
    """How one attempt to deliver went."""

    DELIVERED = "delivered", pgettext_lazy("event", "delivered")
    STATUS = "status", _("answered with an error")
    REDIRECT = "redirect", _("redirect not followed")
    TIMEOUT = "timeout", _("no answer in time")
    CONNECTION = "connection", _("no connection")
    ADDRESS = "address", _("address not allowed")
    SECRET = "secret", _("secret unreadable: make the subscription again")


class EventDelivery(models.Model):
    """One event to one subscription. Delivered as notifications are (ADR 0011): a task claims
    it until `claimed_until`, POSTs, and sets `delivered_at` on a 2xx; otherwise it waits for
    its next turn (backing off) and the sweep queues it then; after EVENT_MAX_ATTEMPTS it is
    `failed_at`. An administrator can send it again (`resent_at`)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        DELIVERED = "delivered", pgettext_lazy("event", "delivered")
        FAILED = "failed", _("failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        EventSubscription, on_delete=models.PROTECT, related_name="deliveries"
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    resent_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("event delivery")
        verbose_name_plural = _("event deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subscription"], name="eventdelivery_once_per_subscription"
            ),
        ]
        indexes = [
            models.Index(fields=["subscription", "-created_at"], name="eventdelivery_log"),
            models.Index(
                fields=["created_at"],
                name="eventdelivery_waiting",
                condition=Q(delivered_at__isnull=True, failed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.event_id} → {self.subscription_id}"

    @property
    def status(self) -> str:
        if self.delivered_at:
            return self.Status.DELIVERED
        if self.failed_at:
            return self.Status.FAILED
        return self.Status.WAITING

    @property
    def status_label(self) -> str:
        return self.Status(self.status).label


class EventAttempt(models.Model):
    """One POST of a delivery, as the log shows it: when, how long, the answer's status code or
    what went wrong, and the start of what the receiver answered."""

    delivery = models.ForeignKey(EventDelivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["delivery", "-at"], name="eventattempt_of_delivery")]

    def __str__(self):
        return f"{self.delivery_id} {self.outcome} {self.status_code or ''}"
