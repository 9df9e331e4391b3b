"""The neighbourhood's own strength: helpers (dragers) and the personal links by which people
without an account act (ADR 0032)."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import rules
from cases.workflow import ConsentHow, DayPart, HelperStatus, HelpKind, Weekday
from partners.models import Organisation


class HelperQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """The one door to helpers (cases.access.rules.helper_q): the workers of the
        organisation that registered them; a personal link only its own helper."""
        q = rules.helper_q(actor)
        return self.none() if q is None else self.filter(q)


class Helper(models.Model):
    """A resident or local volunteer who offers help (drager), registered by a worker of an
    organisation with the helper's consent. The helper has no account: they confirm, pause and
    stop through a personal link (PersonalLink)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="helpers", db_index=False
    )
    first_name = models.CharField(_("first name"), max_length=100)
    surname = models.CharField(_("surname"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    offers = models.JSONField(_("offers"), default=list)
    days = models.JSONField(_("days"), default=list)
    day_parts = models.JSONField(_("parts of the day"), default=list)
    # How far: metres from home, or only their own street or complex (then no metres).
    reach_metres = models.PositiveIntegerField(_("how far (metres)"), null=True, blank=True)
    own_street_only = models.BooleanField(_("own street or complex only"), default=False)
    street_address = models.CharField(_("street and house number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7)
    # Where the helper lives, for the distance to a request (ADR 0034): entered, imported or
    # from the postcode's centroid; the complex when they live in one of the corporation's.
    latitude = models.DecimalField(max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    complex = models.ForeignKey(
        "cases.Complex",
        verbose_name=_("complex"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Consent to be registered: when, how and by whom it was recorded.
    consent_given_on = models.DateField(_("consent given on"))
    consent_how = models.CharField(_("consent given"), max_length=20, choices=ConsentHow.choices)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The certificate of conduct (VOG): seen by a worker, with its end.
    vog_seen_on = models.DateField(_("VOG seen on"), null=True, blank=True)
    vog_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    vog_expires_on = models.DateField(_("VOG valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=HelperStatus.choices, default=HelperStatus.REGISTERED
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    objects = HelperQuerySet.as_manager()

    class Meta:
        verbose_name = _("helper")
        verbose_name_plural = _("helpers")
        ordering = ["first_name", "pk"]
        indexes = [
            models.Index(fields=["organisation", "first_name", "id"], name="helper_list_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(own_street_only=True) & Q(reach_metres__isnull=False)),
                name="helper_reach_one_way",
            ),
            models.CheckConstraint(
                condition=Q(vog_seen_on__isnull=True)
                | (Q(vog_seen_by__isnull=False) & Q(vog_expires_on__isnull=False)),
                name="helper_vog_seen_by_whom_until",
            ),
        ]

    def __str__(self):
        return self.first_name

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.surname}".strip()

    @staticmethod
    def _labels(choices, values) -> list[str]:
        labels = dict(choices.choices)
        return [str(labels[value]) for value in values if value in labels]

    @property
    def offer_labels(self) -> list[str]:
        return self._labels(HelpKind, self.offers)

    @property
    def day_labels(self) -> list[str]:
        return self._labels(Weekday, self.days)

    @property
    def day_part_labels(self) -> list[str]:
        return self._labels(DayPart, self.day_parts)

    def vog_valid(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.vog_expires_on is not None and self.vog_expires_on >= on


class HelperEvent(models.Model):
    """A helper's append-only history: registered, changed, confirmed, paused, resumed,
    stopped, a link sent or revoked. Who: a worker (`user`) or the helper by their link
    (`agent`, its reference, and `agent_name`)."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("registered")
        CHANGED = "changed", _("changed")
        LINK_SENT = "link_sent", _("personal link sent by e-mail")
        LINK_SHOWN = "link_shown", _("personal link handed over")
        LINK_REVOKED = "link_revoked", _("personal link revoked")
        CONFIRMED = "confirmed", _("confirmed the offer")
        PAUSED = "paused", _("paused")
        RESUMED = "resumed", _("resumed")
        STOPPED = "stopped", _("stopped")
        # Matches (ADR 0033).
        PROPOSED = "proposed", _("a request proposed")
        ACCEPTED = "accepted", _("accepted a request")
        DECLINED = "declined", _("declined a request")
        AGREED = "agreed", _("help agreed by both")
        HELP_GIVEN = "help_given", _("help given")
        MATCH_ENDED = "match_ended", _("help ended")

    helper = models.ForeignKey(Helper, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agent = models.CharField(max_length=100, blank=True)
    agent_name = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True) | Q(agent=""), name="helperevent_one_actor"
            ),
        ]

    def __str__(self):
        return f"{self.helper_id} {self.kind}"


def link_token_hash(token: str) -> str:
    """What is stored of a personal link's token: its SHA-256 (256 random bits need no slow
    hash, ADR 0024)."""
    return hashlib.sha256(token.encode()).hexdigest()


class PersonalLink(models.Model):
    """A personal link (ADR 0032): how a person without an account acts, for one purpose on
    one object, until it expires or is revoked. Only the token's hash is stored. A link sent
    by e-mail gets its token when the mail goes out (cases.services.links), so the token never
    waits in the queue or the database."""

    class Purpose(models.TextChoices):
        HELPER_OFFER = "aanbod", _("a helper's own offer")

    class Delivery(models.TextChoices):
        EMAIL = "email", _("by e-mail")
        SCREEN = "scherm", _("handed over on screen")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    # One foreign key per purpose, so the database knows what a link reaches (ADR 0032).
    helper = models.ForeignKey(
        Helper, null=True, blank=True, on_delete=models.PROTECT, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The e-mail's outbox: to whom, claimed by a worker until, sent when, how often tried.
    mail_to = models.EmailField(blank=True)
    mail_claimed_until = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    mail_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(delivery="email", mailed_at__isnull=True, revoked_at__isnull=True),
                name="link_mail_waiting_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(purpose="aanbod") | Q(helper__isnull=False),
                name="link_object_of_its_purpose",
            ),
            models.CheckConstraint(
                condition=~Q(delivery="email") | ~Q(mail_to=""), name="link_mail_has_address"
            ),
        ]

    def __str__(self):
        return f"link:{self.pk}"

    @property
    def reference(self) -> str:
        return f"link:{self.pk}"

    def is_valid(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now and bool(self.token_hash)
