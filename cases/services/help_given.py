"""Follow-up of an agreed match (ADR 0035): the worker or the helper through their personal link
records help given (the day and roughly how long), and the worker who proposed a match hears
when it has been quiet for HELP_MATCH_QUIET_DAYS days, once per quiet period."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access.actors import Actor, is_agent
from cases.access.log import log_access
from cases.models import AccessLog, HelperEvent, HelpGiven, HelpMatch, HouseholdEvent
from cases.selectors.help_given import matches_followed_by
from cases.services.helpers import helper_event_add
from cases.services.history import household_event_add
from cases.services.notices import intake_of
from cases.workflow import AccessBasis, MatchStatus
from partners.models import Membership, Notification
from partners.services.notifications import notify

MOST_MINUTES = 24 * 60


def _require_follower(actor: Actor) -> None:
    """A worker of the organisation, or a helper's personal link (Helper.visible_to then
    narrows it to the helper's own matches)."""
    if is_agent(actor):
        if not actor.may("aanbod"):
            raise ValidationError(_("Only the helper, through their link, may do this."))
    elif actor.role != Membership.Role.MEDEWERKER:
        raise ValidationError(_("Only a worker of this organisation may do this."))


def _checked(*, match: HelpMatch, given_on: date | None, minutes: int | None, today: date):
    errors = {}
    if match.status != MatchStatus.AGREED or match.agreed_at is None:
        raise ValidationError(_("Help can only be recorded while the help is agreed by both."))
    agreed_on = timezone.localdate(match.agreed_at)
    if given_on is None:
        errors["given_on"] = _("Give the day the help was given.")
    elif given_on > today:
        errors["given_on"] = _("Help cannot be given on a day still to come.")
    elif given_on < agreed_on:
        errors["given_on"] = _("The help was agreed on %(day)s: give that day or a later one.") % {
            "day": agreed_on.strftime("%d-%m-%Y")
        }
    if minutes is None:
        errors["minutes"] = _("Give roughly how long, in minutes.")
    elif not 1 <= minutes <= MOST_MINUTES:
        errors["minutes"] = _("Give between 1 and 1440 minutes (a whole day).")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def help_given_record(
    *, actor: Actor, match: HelpMatch, given_on: date | None, minutes: int | None
) -> HelpGiven:
    """Record help given under an agreed match, by a worker of the request's organisation or
    by the helper through their link; in both histories and the access log, and the match's
    quiet period starts again."""
    _require_follower(actor)
    match = (
        matches_followed_by(actor)
        .select_for_update(of=("self",))
        .select_related("request__household", "helper")
        .filter(pk=match.pk)
        .first()
    )
    if match is None:
        raise ValidationError(_("This match is not one you follow up."))
    _checked(match=match, given_on=given_on, minutes=minutes, today=timezone.localdate())
    who = {"agent": actor.reference} if is_agent(actor) else {"recorded_by_id": actor.user_id}
    now = timezone.now()
    given = HelpGiven.objects.create(
        match=match, given_on=given_on, minutes=minutes, recorded_at=now, **who
    )
    match.last_activity_at = now
    match.save(update_fields=["last_activity_at"])
    data = {"match": match.pk, "given_on": given_on.isoformat(), "minutes": minutes}
    household_event_add(
        actor=actor,
        household=match.request.household,
        kind=HouseholdEvent.Kind.HELP_GIVEN,
        at=now,
        **data,
    )
    helper_event_add(helper=match.helper, actor=actor, kind=HelperEvent.Kind.HELP_GIVEN, data=data)
    log_access(
        actor=actor,
        action=AccessLog.Action.CREATE,
        household=match.request.household,
        obj=given,
        legal_basis=AccessBasis.CONSENT,
    )
    return given


# --- the reminder when a match is quiet (Celery beat; safe to run twice) ----------------------


def quiet_matches(*, now=None):
    """Agreed matches with no activity for HELP_MATCH_QUIET_DAYS days whose worker has not
    yet been reminded in this quiet period (a reminder before the last activity belongs to an
    earlier one)."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.HELP_MATCH_QUIET_DAYS)
    return HelpMatch.objects.filter(status=MatchStatus.AGREED, last_activity_at__lte=since).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lt=F("last_activity_at"))
    )


def _reminded(match: HelpMatch) -> list[Notification]:
    """Remind the worker who proposed the match, or the organisation's workers when they have
    left it. The notification names no household or helper: only the page to open."""
    organisation = match.request.organisation
    proposer = match.proposed_by
    active = Membership.objects.active().filter(user=proposer, organisation=organisation)
    recipients = [proposer] if active.exists() else intake_of(organisation.pk)
    return notify(
        recipients=recipients,
        kind=Notification.Kind.HELP_QUIET,
        organisation=organisation,
        url=reverse("help_given:record", args=[match.pk]),
        data={"count": settings.HELP_MATCH_QUIET_DAYS},
        dedupe_key=f"help-quiet:{match.pk}:{match.last_activity_at.timestamp():.0f}",
    )


def help_matches_remind(*, now=None) -> int:
    """Remind the workers of quiet agreed matches, each once per quiet period: the match is
    claimed with a guarded update and the notification written in the same transaction (the
    outbox), so a second run, or two at once, tells nobody twice. Returns how many were
    written."""
    now = now or timezone.now()
    written = 0
    for pk in quiet_matches(now=now).values_list("pk", flat=True):
        with transaction.atomic():
            claimed = quiet_matches(now=now).filter(pk=pk).update(reminded_at=now)
            if not claimed:
                continue  # another run reminded it, or it had activity since
            match = HelpMatch.objects.select_related("request__organisation", "proposed_by").get(
                pk=pk
            )
            written += len(_reminded(match))
    return written
