"""The access log (NEN 7513): one row per read, search, export or change of household data."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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
    itself (the removal of rows past their term) has no person and no organisation.

    Who acted, by `channel` (ADR 0024): a person on the web pages (`user`, `role`); an actor
    that is not a person, an API client or later a personal link (`agent`, its stable
    reference, and `agent_name`, its name as it was then, for an organisation); or the
    installation itself. A database CHECK holds that exactly the fields of one of them are
    set."""

    class Channel(models.TextChoices):
        WEB = "web", _("web page")
        API = "api", _("API")
        LINK = "link", _("personal link")
        INSTALLATION = "installation", _("installation")

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
    # Where the request came from: the client's address, or the command the installation ran.
    origin = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # Defaults in the database too, so a row inserted without them is a person's on the web.
    channel = models.CharField(
        max_length=12, choices=Channel.choices, default=Channel.WEB, db_default=Channel.WEB
    )
    agent = models.CharField(max_length=64, blank=True, default="", db_default="")
    agent_name = models.CharField(max_length=200, blank=True, default="", db_default="")

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
        constraints = [
            # Someone acted: a person on the web, an agent of an organisation (an API client, a
            # personal link), or the installation itself, and only the fields of that one.
            models.CheckConstraint(
                condition=Q(channel="web", user__isnull=False, agent="")
                | (
                    Q(channel__in=["api", "link"], user__isnull=True, organisation__isnull=False)
                    & ~Q(agent="")
                )
                | Q(channel="installation", user__isnull=True, organisation__isnull=True, agent=""),
                name="accesslog_someone_acted",
            ),
        ]

    def __str__(self):
        who = self.user_id if self.user_id is not None else self.agent
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.household_id}"

    @property
    def by_agent(self) -> bool:
        """Written for an actor that is not a person (an API client, a personal link)."""
        return self.channel in (self.Channel.API, self.Channel.LINK)
