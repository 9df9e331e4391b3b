"""Emergency access (noodtoegang, ADR 0010): a worker opens a household outside their view with
a reason, for EMERGENCY_ACCESS_HOURS; logged and told to the privacy officers at once. Past the
limit (EMERGENCY_ACCESS_LIMIT per EMERGENCY_ACCESS_PERIOD_DAYS, ADR 0018) it is a request that a
privacy officer of the worker's organisation approves or refuses first."""

import re
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.access.log import log_access
from cases.models import (
    AccessLog,
    EmergencyAccess,
    EmergencyAccessRequest,
    Household,
    HouseholdEvent,
)
from cases.selectors.emergency import emergency_allowance, emergency_week_counts, week_of
from cases.services.notices import privacy_officers_notify
from partners.models import Membership, Notification, User
from partners.services.notifications import notify

Kind = HouseholdEvent.Kind
Role = Membership.Role
Status = EmergencyAccessRequest.Status

EMERGENCY_REASON_MIN_LENGTH = 20
EMERGENCY_REASON_MAX_LENGTH = 1000
# A reason says what is going on: at least this many different words ("Test test test test"
# and "xxxxxxxxxxxxxxxxxxxx" say nothing, however long).
EMERGENCY_REASON_MIN_WORDS = 3
WORD = re.compile(r"[^\W\d_]{2,}")


def emergency_reason_problem(reason: str) -> str | None:
    """Why a reason does not say what the emergency is, or None: one check for the form and
    the service."""
    words = {word.lower() for word in WORD.findall(reason)}
    if len(words) < EMERGENCY_REASON_MIN_WORDS:
        return _(
            "Describe the emergency in your own words: what is going on, and why you need this "
            "household's data now. A word or letter repeated is no reason."
        )
    return None


# --- emergency access (noodtoegang) ------------------------------------------------------------


def _checked_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < EMERGENCY_REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": _(
                    "Describe the emergency in at least %(count)s characters: why you need this "
                    "household's data now."
                )
                % {"count": EMERGENCY_REASON_MIN_LENGTH}
            }
        )
    if problem := emergency_reason_problem(reason):
        raise ValidationError({"reason": problem})
    if len(reason) > EMERGENCY_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason under %(count)s characters.")
                % {"count": EMERGENCY_REASON_MAX_LENGTH}
            }
        )
    return reason


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y H:i")


@transaction.atomic
def emergency_access_open(
    *, actor: Membership, household: Household, reason: str
) -> EmergencyAccess | EmergencyAccessRequest:
    """Open a household outside the worker's view, for EMERGENCY_ACCESS_HOURS, with a reason.
    Logged as emergency access; the privacy officers of the worker's organisation and of the
    household's corporation are told at once. Past the person's limit nothing opens: the
    request waits for a privacy officer of the worker's organisation (ADR 0018)."""
    if actor.role != Role.MEDEWERKER:
        raise ValidationError(_("Only workers may use emergency access."))
    reason = _checked_reason(reason)
    # One person's emergency accesses one at a time, whichever organisation they act for: two
    # at once must not both pass the limit.
    User.objects.select_for_update().filter(pk=actor.user_id).first()
    household = Household.objects.select_for_update().get(pk=household.pk)
    current = EmergencyAccess.objects.active_for(actor).filter(household=household).first()
    if current is not None:
        raise ValidationError(
            _("You opened this household in an emergency already, until %(time)s.")
            % {"time": _when(current.ends_at)}
        )
    if Household.objects.visible_to(actor).filter(pk=household.pk).exists():
        raise ValidationError(
            _("You can already see this household: no emergency access is needed.")
        )
    waiting = _waiting(actor, household)
    if waiting is not None:
        raise ValidationError(
            _(
                "You asked for emergency access to this household already; your privacy "
                "officer can decide until %(time)s."
            )
            % {"time": _when(waiting.expires_at)}
        )
    refused = _refused_lately(actor, household)
    if refused is not None:
        raise ValidationError(
            _(
                "A privacy officer refused your emergency access to this household on "
                "%(date)s. Talk to them first: you cannot ask for it again until %(until)s."
            )
            % {
                "date": _when(refused.decided_at),
                "until": _when(
                    refused.decided_at + timedelta(days=settings.EMERGENCY_ACCESS_PERIOD_DAYS)
                ),
            }
        )
    if emergency_allowance(user_id=actor.user_id).left <= 0:
        return _request(actor=actor, household=household, reason=reason)
    return _open(worker=actor, household=household, reason=reason)


def _waiting(actor: Membership, household: Household) -> EmergencyAccessRequest | None:
    """The person's request for this household still waiting, through whichever of their
    organisations they asked: asking again through another is not a second chance."""
    return EmergencyAccessRequest.objects.filter(
        user_id=actor.user_id,
        household=household,
        status=Status.WACHT,
        expires_at__gt=timezone.now(),
    ).first()


def _refused_lately(actor: Membership, household: Household) -> EmergencyAccessRequest | None:
    """The person's request for this household refused within the limit's period, through
    whichever organisation: after a refusal they talk to the officer, they do not ask again."""
    since = timezone.now() - timedelta(days=settings.EMERGENCY_ACCESS_PERIOD_DAYS)
    return (
        EmergencyAccessRequest.objects.filter(
            user_id=actor.user_id,
            household=household,
            status=Status.GEWEIGERD,
            decided_at__gte=since,
        )
        .order_by("-decided_at")
        .first()
    )


def _open(
    *, worker: Membership, household: Household, reason: str, approved_by: Membership | None = None
) -> EmergencyAccess:
    now = timezone.now()
    access = EmergencyAccess.objects.create(
        household=household,
        user_id=worker.user_id,
        organisation_id=worker.organisation_id,
        role=worker.role,
        reason=reason,
        started_at=now,
        ends_at=now + timedelta(hours=settings.EMERGENCY_ACCESS_HOURS),
    )
    HouseholdEvent.objects.create(
        household=household,
        kind=Kind.EMERGENCY_ACCESS,
        at=now,
        user_id=worker.user_id,
        organisation_id=worker.organisation_id,
        data={"until": access.ends_at.isoformat()},
    )
    log_access(
        actor=worker,
        action=AccessLog.Action.EMERGENCY,
        household=household,
        obj=access,
        detail={"approved_by": approved_by.user_id} if approved_by else None,
        legal_basis=AccessLog.LegalBasis.EMERGENCY,
    )
    url = reverse("privacy:emergency_list") + f"#noodtoegang-{access.pk}"
    for organisation_id in dict.fromkeys([worker.organisation_id, household.corporation_id]):
        privacy_officers_notify(
            organisation_id=organisation_id,
            kind=Notification.Kind.EMERGENCY_ACCESS,
            url=url,
            data={"emergency_access": access.pk, "organisation": worker.organisation.name},
            dedupe_key=f"emergency_access:{access.pk}:{organisation_id}",
        )
    return access


def _request(*, actor: Membership, household: Household, reason: str) -> EmergencyAccessRequest:
    now = timezone.now()
    request = EmergencyAccessRequest.objects.create(
        household=household,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        role=actor.role,
        reason=reason,
        requested_at=now,
        expires_at=now + timedelta(hours=settings.EMERGENCY_REQUEST_HOURS),
    )
    privacy_officers_notify(
        organisation_id=actor.organisation_id,
        kind=Notification.Kind.EMERGENCY_REQUEST,
        url=reverse("privacy:emergency_request_decide", args=[request.pk]),
        data={"emergency_request": request.pk, "organisation": actor.organisation.name},
        dedupe_key=f"emergency_request:{request.pk}",
    )
    return request


# --- the privacy officer decides a request past the limit -------------------------------------


def _decidable(actor: Membership, request: EmergencyAccessRequest) -> EmergencyAccessRequest:
    """The request locked, once its officer may still decide it: of two deciding at once, the
    second finds it decided."""
    if actor.role != Role.PRIVACYFUNCTIONARIS or actor.organisation_id != request.organisation_id:
        raise ValidationError(
            _("Only a privacy officer of the worker's organisation decides on this request.")
        )
    # No join here: a row read after waiting for the lock is fresh, a joined one is not (the
    # decider would read as nobody), so the decider is read after the lock.
    request = EmergencyAccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == Status.GOEDGEKEURD:
        raise ValidationError(
            _("%(name)s approved this request already.") % {"name": request.decided_by.name}
        )
    if request.status == Status.GEWEIGERD:
        raise ValidationError(
            _("%(name)s refused this request already.") % {"name": request.decided_by.name}
        )
    if request.is_expired:
        raise ValidationError(
            _("This request expired on %(time)s: nothing was opened. The worker may ask again.")
            % {"time": _when(request.expires_at)}
        )
    return request


def _decided(request: EmergencyAccessRequest, *, kind: str, url: str) -> None:
    notify(
        recipients=User.objects.filter(pk=request.user_id),
        kind=kind,
        organisation=request.organisation,
        url=url,
        data={"emergency_request": request.pk},
        dedupe_key=f"emergency_request_decided:{request.pk}",
    )


@transaction.atomic
def emergency_request_approve(
    *, actor: Membership, request: EmergencyAccessRequest
) -> EmergencyAccess:
    """A privacy officer of the worker's organisation approves: the access opens now, for
    EMERGENCY_ACCESS_HOURS, logged and told like any emergency access; the worker hears."""
    request = _decidable(actor, request)
    worker = (
        Membership.objects.active()
        .filter(
            user_id=request.user_id, organisation_id=request.organisation_id, role=Role.MEDEWERKER
        )
        .select_related("organisation")
        .first()
    )
    if worker is None:
        raise ValidationError(
            _("The worker no longer works for your organisation: nothing can be opened.")
        )
    household = Household.objects.select_for_update().get(pk=request.household_id)
    if household.anonymised_at is not None:
        raise ValidationError(_("This household's data was erased: nothing can be opened."))
    if Household.objects.visible_to(worker).filter(pk=household.pk).exists():
        raise ValidationError(
            _("The worker can see this household now: no emergency access is needed.")
        )
    current = EmergencyAccess.objects.active_for(worker).filter(household=household).first()
    access = current or _open(
        worker=worker, household=household, reason=request.reason, approved_by=actor
    )
    request.status, request.access = Status.GOEDGEKEURD, access
    request.decided_by_id, request.decided_at = actor.user_id, timezone.now()
    request.save(update_fields=["status", "access", "decided_by", "decided_at"])
    _decided(
        request,
        kind=Notification.Kind.EMERGENCY_APPROVED,
        url=reverse("privacy:emergency_detail", args=[access.pk]),
    )
    return access


@transaction.atomic
def emergency_request_refuse(
    *, actor: Membership, request: EmergencyAccessRequest, reason: str
) -> EmergencyAccessRequest:
    """A privacy officer of the worker's organisation refuses, with the reason the worker
    reads; nothing opens."""
    request = _decidable(actor, request)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for refusing: the worker reads it.")})
    if len(reason) > EMERGENCY_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason under %(count)s characters.")
                % {"count": EMERGENCY_REASON_MAX_LENGTH}
            }
        )
    request.status, request.refusal_reason = Status.GEWEIGERD, reason
    request.decided_by_id, request.decided_at = actor.user_id, timezone.now()
    request.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    _decided(
        request,
        kind=Notification.Kind.EMERGENCY_REFUSED,
        url=reverse("privacy:emergency_request", args=[request.pk]),
    )
    return request


# --- the weekly overview for the privacy officers (Celery beat) -------------------------------


def week_code(start: date) -> str:
    """The ISO week of a day, as the overview's filter and the notification name it: 2026-W48."""
    year, week, _day = start.isocalendar()
    return f"{year}-W{week:02d}"


def emergency_weeks_notify(*, day: date | None = None) -> int:
    """Tell each organisation's privacy officers of the week before `day` (today by default):
    how many emergency accesses and requests its people had, with a link to the week's
    overview. Organisations without any hear nothing; a second run tells nobody twice.
    Returns how many notifications were written."""
    start, _end = week_of((day or timezone.localdate()) - timedelta(days=7))
    week = week_code(start)
    url = reverse("privacy:emergency_week") + f"?week={week}"
    written = 0
    for organisation_id, count in emergency_week_counts(start=start).items():
        written += len(
            privacy_officers_notify(
                organisation_id=organisation_id,
                kind=Notification.Kind.EMERGENCY_WEEK,
                url=url,
                data={"week": week, "count": count},
                dedupe_key=f"emergency_week:{organisation_id}:{week}",
            )
        )
    return written
