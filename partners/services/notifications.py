"""Notifications that are never lost (ARCHITECTURE.md, ADR 0011): the outbox and its delivery.

A service that must tell people something calls `notify()` inside its own transaction: the rows
are written with the event or not at all. After commit one Celery task per row delivers it: the
in-app notification is the row itself; an e-mail goes out when the person chose "at once" for
that kind. Delivery claims the row with a guarded update, so a second run of the same task, a
re-queue by the sweep or a redelivery after a lost worker finds nothing to do. The sweep queues
again what is still undelivered after NOTIFICATION_SWEEP_AFTER seconds, so a Redis outage delays
notifications but loses none.

E-mails carry no personal details: the kind of event, organisation names and a link; the reader
logs in to see more."""

import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from partners.kinds import CHOOSABLE, KINDS, Email, text_of
from partners.models import Notification, NotificationPreference, Organisation, User
from partners.selectors import email_choice, shared_worker_ids

Kind = Notification.Kind

logger = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    organisation: Organisation | None,
    url: str,
    data: dict | None = None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Write one notification per active recipient in the caller's transaction and queue its
    delivery after commit. With a dedupe_key a person gets it once, however often this runs."""
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not people:
        return []
    if dedupe_key:
        had = Notification.objects.filter(recipient_id__in=people, dedupe_key=dedupe_key)
        for user_id in had.values_list("recipient_id", flat=True):
            people.pop(user_id, None)
    chosen = defaultdict(dict)
    for user_id, pref_kind, choice in NotificationPreference.objects.filter(
        user_id__in=people, kind=kind
    ).values_list("user_id", "kind", "email"):
        chosen[user_id][pref_kind] = choice
    shared = shared_worker_ids(people) if kind != Kind.DIGEST else set()
    now = timezone.now()
    rows = []
    for user_id in people:
        choice = email_choice(user_id=user_id, kind=kind, chosen=chosen[user_id])
        rows.append(
            Notification(
                recipient_id=user_id,
                organisation=organisation,
                kind=kind,
                url=url,
                data=data or {},
                dedupe_key=dedupe_key,
                email=choice,
                # The digest gathers others; it is never gathered itself.
                in_digest=kind != Kind.DIGEST and (choice == Email.DIGEST or user_id in shared),
                created_at=now,
            )
        )
    if dedupe_key:
        # A twin written by a run at this very moment is no error: that person has it already.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(
            Notification.objects.filter(
                recipient_id__in=people, dedupe_key=dedupe_key, created_at=now
            )
        )
    else:
        created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    if ids:
        transaction.on_commit(lambda: queue(ids))
    return created


def queue(ids: list[int]) -> None:
    """Hand the rows to Celery. When the broker cannot be reached the rows wait for the sweep:
    after the first failure the rest are not tried, so a request never waits long on Redis."""
    from partners.tasks import notification_deliver  # tasks import this module

    for pk in ids:
        try:
            notification_deliver.apply_async((pk,), retry=False)
        except Exception:  # the broker is down (or, eagerly, the mail server): the sweep retries
            logger.exception("Notifications %s… not queued; the sweep queues them later.", pk)
            return


def _claim(notification_id: int) -> datetime | None:
    """Take the row for one delivery attempt: only one worker at a time gets it."""
    now = timezone.now()
    until = now + timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
    taken = (
        Notification.objects.filter(
            pk=notification_id, delivered_at__isnull=True, failed_at__isnull=True
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=until, attempts=F("attempts") + 1)
    )
    return until if taken else None


def backoff(attempts: int) -> timedelta:
    """The wait before attempt n+1: a minute, doubling, at most an hour."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def notification_deliver(*, notification_id: int) -> bool:
    """Deliver one notification; False when there was nothing (left) to do. When the mail server
    fails, the row waits for its next turn (backing off) and the sweep queues it then; after
    NOTIFICATION_MAX_ATTEMPTS it is marked failed and logged."""
    until = _claim(notification_id)
    if until is None:
        return False
    notification = Notification.objects.select_related("recipient", "organisation").get(
        pk=notification_id
    )
    emailed = None
    if notification.email == Email.DIRECT and notification.recipient.is_active:
        try:
            _send_email(notification)
        except (smtplib.SMTPException, OSError):
            mine = Notification.objects.filter(pk=notification_id, claimed_until=until)
            if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                logger.error("Notification %s failed after %s attempts.", notification_id,
                             notification.attempts)  # fmt: skip
                mine.update(failed_at=timezone.now(), claimed_until=None)
            else:
                logger.warning("Notification %s: the mail server failed; tried again later.",
                               notification_id)  # fmt: skip
                mine.update(claimed_until=timezone.now() + backoff(notification.attempts))
            return False
        emailed = timezone.now()
    done = Notification.objects.filter(pk=notification_id, claimed_until=until).update(
        delivered_at=timezone.now(), emailed_at=emailed, claimed_until=None
    )
    return bool(done)


def absolute(url: str) -> str:
    return settings.SITE_URL + url


def _send_email(notification: Notification) -> None:
    """Always Dutch first, like the invitations: the reader has not chosen a language here."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "text": text_of(notification),
            "link": absolute(reverse("notifications:open", args=[notification.pk])),
            "preferences": absolute(reverse("notifications:preferences")),
            "organisation": notification.organisation,
        }
        if notification.kind == Kind.DIGEST:
            context["groups"] = digest_groups(notification)
            template = "emails/digest"
        else:
            template = "emails/notification"
        subject = render_to_string("emails/notification_subject.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{template}.txt", context),
            to=[notification.recipient.email],
            headers={"Message-ID": f"<notification-{notification.pk}@inclusie>"},
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()


def notifications_sweep(*, limit: int = 1000) -> int:
    """Queue again what is still undelivered NOTIFICATION_SWEEP_AFTER seconds after it was
    written or last swept, unless a worker holds it or it waits for its next turn. Returns how
    many. Oldest first; rows that wait or failed do not take the places of others."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.NOTIFICATION_SWEEP_AFTER)
    ids = list(
        Notification.objects.filter(delivered_at__isnull=True, failed_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .filter(Q(queued_at__isnull=True, created_at__lt=cutoff) | Q(queued_at__lt=cutoff))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        Notification.objects.filter(pk__in=ids).update(queued_at=now)
        queue(ids)
    return len(ids)


# --- the daily digest -------------------------------------------------------------------------


def digest_groups(digest: Notification) -> list[tuple[str, list[Notification]]]:
    """The digest's notifications grouped per organisation, each with its sentence and link."""
    included = (
        Notification.objects.filter(pk__in=digest.data.get("ids", []))
        .select_related("organisation")
        .order_by("organisation__name", "created_at")
    )
    groups: dict[str, list] = {}
    for item in included:
        item.text = text_of(item)
        item.link = absolute(reverse("notifications:open", args=[item.pk]))
        name = item.organisation.name if item.organisation else str(_("Inclusie"))
        groups.setdefault(name, []).append(item)
    return list(groups.items())


def digests_create(*, on: date | None = None) -> int:
    """Write today's digest for everyone with notifications waiting for it: those who chose the
    digest, and shared workers for everything that concerned them. Safe to run twice: a digest
    is written once per person per day, and what it holds is marked as digested with it."""
    on = on or timezone.localdate()
    waiting = (
        Notification.objects.filter(in_digest=True, digested_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    made = 0
    for user_id in list(waiting):
        with transaction.atomic():
            made += _digest_for(user_id=user_id, on=on)
    return made


def _digest_for(*, user_id: int, on: date) -> int:
    user = User.objects.select_for_update().get(pk=user_id)  # one digest writer per person
    key = f"digest:{on.isoformat()}"
    if Notification.objects.filter(recipient=user, dedupe_key=key).exists():
        return 0
    now = timezone.now()
    rows = Notification.objects.filter(
        recipient=user, in_digest=True, digested_at__isnull=True, created_at__lte=now
    )
    ids = list(rows.order_by("created_at").values_list("pk", flat=True))
    if not ids:
        return 0
    Notification.objects.filter(pk__in=ids).update(digested_at=now)
    digest = notify(
        recipients=[user],
        kind=Kind.DIGEST,
        organisation=None,
        url=reverse("notifications:list"),
        data={"ids": ids, "count": len(ids), "on": on.isoformat()},
        dedupe_key=key,
    )
    if digest:  # the digest is an e-mail; in the app its parts are already in the list
        Notification.objects.filter(pk=digest[0].pk).update(read_at=now)
    return len(digest)


# --- reading and choosing ---------------------------------------------------------------------


@transaction.atomic
def notification_open(*, user: User, notification: Notification) -> Notification:
    """Mark one of the person's notifications as read."""
    if notification.recipient_id != user.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    return notification


@transaction.atomic
def notifications_read_all(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_save(*, user: User, choices: dict[str, str]) -> None:
    """Store the person's e-mail choice per kind; escalations cannot be switched off."""
    for kind, choice in choices.items():
        if kind not in CHOOSABLE or choice not in Email.values or KINDS[kind].mandatory:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": choice}
        )
