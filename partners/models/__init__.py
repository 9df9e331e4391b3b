"""WHO: people, organisations, memberships (roles), neighbourhoods and invitations."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address. What they may do comes from memberships;
    an installation administrator also keeps what the whole installation shares."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    is_installation_admin = models.BooleanField(
        _("installation administrator"),
        default=False,
        help_text=_(
            "Runs the installation: the shared signal categories and the access log's retention "
            "term. Sees no organisation's data through this role."
        ),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


class Session(AbstractBaseSession):
    """Django's database session with the user's id beside it, so one person's sessions can be
    ended at once (partners.sessions.SessionStore)."""

    user_id = models.BigIntegerField(null=True, db_index=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from partners.sessions import SessionStore  # the engine reads this model

        return SessionStore


class Submission(models.Model):
    """A form sent with a key made on the device (ADR 0016), with where its first send led, so
    a second send with the same key gets that answer instead of saving again. Kept a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    # Empty while the first send is being handled; the claim's row lock makes a second wait.
    result = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sent form")
        verbose_name_plural = _("sent forms")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_once_per_key"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.key}"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CORPORATIE = "corporatie", _("housing corporation")
        WELZIJN = "welzijn", _("welfare")
        ZORG = "zorg", _("care")
        GEMEENTE = "gemeente", _("municipality")
        OVERIG = "overig", _("other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Neighbourhood(models.Model):
    """A wijk or buurt as the CBS defines it; a buurt lies in a wijk."""

    class Kind(models.TextChoices):
        WIJK = "wijk", _("district")
        BUURT = "buurt", _("neighbourhood")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    cbs_code = models.CharField(_("CBS code"), max_length=10, unique=True)
    municipality = models.CharField(_("municipality"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["municipality", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="wijk", cbs_code__startswith="WK")
                | Q(kind="buurt", cbs_code__startswith="BU"),
                name="neighbourhood_cbs_code_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.municipality})"


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True, user__is_active=True)


class Membership(models.Model):
    """A person's place in one organisation. The active membership of a request is its actor."""

    class Role(models.TextChoices):
        MEDEWERKER = "medewerker", _("worker")
        MANAGER = "manager", _("manager")
        BEHEERDER = "beheerder", _("administrator")
        PRIVACYFUNCTIONARIS = "privacyfunctionaris", _("privacy officer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood,
        verbose_name=_("neighbourhoods"),
        blank=True,
        related_name="+",
        help_text=_("The neighbourhoods this person works in: their signal lists start there."),
    )
    receives_referrals = models.BooleanField(
        _("receives referrals"),
        default=False,
        help_text=_("Intake: hears of every new referral to the organisation."),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(ended_at__isnull=True),
                name="membership_one_active_per_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


def token_hash(token: str) -> str:
    """What is stored of an invitation's token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An administrator's invitation to join their organisation; the link in the e-mail expires.

    Only a hash of the token is stored, so a copy of the database does not let anyone in."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=30, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class Notification(models.Model):
    """One thing a person should hear of, written in the same transaction as the event (the
    outbox). In-app it is this row; e-mail follows the person's choice for its kind. The text is
    made from `kind` and `data` when shown, in the reader's language; it carries no personal
    details, only organisation names and the page to open (partners.kinds and
    partners.services.notifications)."""

    class Kind(models.TextChoices):
        REFERRAL_NEW = "referral_new", _("new referral")
        REFERRAL_UPDATE = "referral_update", _("answer to a referral")
        DEADLINE_NEAR = "deadline_near", _("referral deadline near")
        DEADLINE_PASSED = "deadline_passed", _("referral deadline passed")
        SIGNAL_ACUTE = "signal_acute", _("acute signal in your neighbourhood")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("consent withdrawn")
        CASE_NOTE = "case_note", _("note in a joint case")
        CASE_ACTION = "case_action", _("action in a joint case")
        ACTION_OVERDUE = "action_overdue", _("action past its due date")
        EMERGENCY_ACCESS = "emergency_access", _("emergency access")
        EMERGENCY_REQUEST = "emergency_request", _("request for emergency access")
        EMERGENCY_APPROVED = "emergency_approved", _("emergency access approved")
        EMERGENCY_REFUSED = "emergency_refused", _("emergency access refused")
        EMERGENCY_WEEK = "emergency_week", _("weekly overview of emergency access")
        ACCESS_REPORT = "access_report", _("report of unusual access")
        RETENTION_CHANGED = "retention_changed", _("retention term changed")
        HELP_MATCH = "help_match", _("a helper answered a proposal")
        HELP_QUIET = "help_quiet", _("informal help without activity")
        DIGEST = "digest", _("daily digest")

    class Email(models.TextChoices):
        DIRECT = "direct", _("E-mail at once")
        DIGEST = "digest", _("In the daily digest")
        OFF = "off", _("No e-mail (only in Inclusie)")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    # The organisation the recipient acts for to open the page (none for a digest).
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    url = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=120, blank=True, default="")
    email = models.CharField(max_length=10, choices=Email.choices)
    # Goes into the next daily digest: chosen so, or the recipient is a shared worker.
    in_digest = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Delivery: a task claims the row until `claimed_until`, e-mails if asked and sets
    # `delivered_at`. A failed attempt holds the row until its next turn (`claimed_until`,
    # backing off); after NOTIFICATION_MAX_ATTEMPTS it is `failed_at` and left for a person.
    # `queued_at` is when the sweep last queued it again.
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_key",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
            models.Index(
                fields=["dedupe_key"], name="notification_dedupe", condition=~Q(dedupe_key="")
            ),
            models.Index(
                fields=["created_at"],
                name="notification_undelivered",
                condition=Q(delivered_at__isnull=True),
            ),
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_for_digest",
                condition=Q(in_digest=True, digested_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"


class NotificationPreference(models.Model):
    """A person's choice of e-mail for one kind of notification; without a row the kind's
    default applies (partners.kinds.KINDS)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=Notification.Kind.choices)
    email = models.CharField(max_length=10, choices=Notification.Email.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.email}"


# The start of every API client's key, so a key that leaks into a log or a repository is
# recognised as Inclusie's (partners.services.clients).
KEY_START = "inc"


class ApiClient(models.Model):
    """A system of an organisation's own that calls the API (a koppeling, ADR 0024): it acts
    for its organisation with the scopes its administrator gave it. Its key is shown once;
    stored are a public prefix (to find the client) and the key's SHA-256. Revoked or past
    its end, the key no longer works, at once."""

    class Scope(models.TextChoices):
        HOUSEHOLDS_READ = "huishoudens:lezen", _("read households")
        HOUSEHOLDS_IMPORT = "huishoudens:importeren", _("import households")
        REFERRALS_READ = "verwijzingen:lezen", _("read referrals")
        REFERRALS_WRITE = "verwijzingen:status-schrijven", _("write the status of referrals")
        SIGNALS_READ = "signaleringen:lezen", _("read signals as VERA signaleringen")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    key_prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("name"),
                condition=Q(revoked_at__isnull=True),
                name="apiclient_name_unique_while_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def reference(self) -> str:
        """How the access log knows this client, whatever its name becomes."""
        return f"api-client:{self.pk}"

    @property
    def scope_labels(self) -> list[str]:
        return [str(self.Scope(s).label) for s in self.scopes if s in self.Scope.values]

    def is_valid(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


# Events to the organisations' own systems (ADR 0029); a module of its own, which refers to the
# models above by name.
from partners.models.events import (  # noqa: E402, F401
    Event,
    EventAttempt,
    EventDelivery,
    EventSubscription,
    EventType,
    Outcome,
)
