"""Celery tasks of partners: take ids, re-fetch, call a service; safe to run twice."""

import smtplib

from celery import shared_task

from partners.services import events, installation, memberships, notifications, submissions
from partners.sessions import SessionStore

# A mail that cannot go out yet is retried with backoff (at most half an hour apart, 12 times).
MAIL_RETRY = {
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "max_retries": 12,
    "acks_late": True,
}


@shared_task(**MAIL_RETRY)
def invitation_send(invitation_id: int, link: str) -> None:
    """Mail an invitation; retried with backoff while the mail server cannot be reached."""
    memberships.invitation_send(invitation_id=invitation_id, link=link)


@shared_task(**MAIL_RETRY)
def installation_admin_welcome(user_id: int) -> None:
    """Mail a new installation administrator the link to choose a password; retried like an
    invitation while the mail server cannot be reached."""
    installation.installation_admin_welcome_send(user_id=user_id)


@shared_task
def sessions_clear_expired() -> None:
    """Remove sessions past their expiry date (the database keeps them otherwise)."""
    SessionStore.clear_expired()


@shared_task
def submissions_purge() -> int:
    """Forget the keys of forms sent more than a day ago (ADR 0016)."""
    return submissions.submissions_purge()


@shared_task(acks_late=True)
def notification_deliver(notification_id: int) -> bool:
    """Deliver one notification; a second run finds it claimed or delivered and does nothing.
    A failing mail server is retried by the sweep, backing off (partners.services.notifications)."""

    return notifications.notification_deliver(notification_id=notification_id)


@shared_task
def notifications_sweep() -> int:
    """Queue again the notifications still undelivered a few minutes after they were written."""

    return notifications.notifications_sweep()


@shared_task
def digests_send() -> int:
    """The daily digest at 07:00 (Europe/Amsterdam); safe to run twice the same day."""

    return notifications.digests_create()


@shared_task(acks_late=True)
def event_deliver(delivery_id: int) -> bool:
    """POST one event to a system; a second run finds it claimed or delivered and does nothing.
    A failure is retried by the sweep, backing off (partners.services.events)."""

    return events.event_deliver(delivery_id=delivery_id)


@shared_task
def events_sweep() -> int:
    """Queue again the event deliveries still waiting a few minutes after they were written."""

    return events.events_sweep()


@shared_task
def events_purge() -> int:
    """Forget event deliveries done more than EVENT_KEPT_DAYS ago (daily)."""

    return events.events_purge()
