"""Events to an organisation's own systems (issue 17 item 4, ADR 0029), from the same kind of
outbox as notifications (ADR 0011).

An administrator subscribes one of the organisation's systems (an API client) to event types
at a URL and gets the signing secret once. `events_emit` is called beside `notify` by the
services in cases (cases.services.notices), inside their transaction: an event and one delivery
per matching subscription are written with what happened, or not at all. After commit one
Celery task per delivery POSTs it as a CloudEvent (structured JSON), signed as Standard Webhooks
says; a claim by a guarded update makes a second run do nothing; a failure waits for its next
turn (backing off, as notifications do) and the sweep queues it then, so a Redis outage delays
events but loses none. Every attempt is in the delivery log; an administrator can send one
again."""

import base64
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from partners import webhooks
from partners.models import (
    ApiClient,
    Event,
    EventAttempt,
    EventDelivery,
    EventSubscription,
    EventType,
    Membership,
    Outcome,
)
from partners.services.notifications import backoff

logger = logging.getLogger(__name__)

SPEC_VERSION = "1.0"
# How many subscriptions one system may have: enough for one per URL it listens on.
MOST_SUBSCRIPTIONS = 10


def _require_admin(actor: Membership, client: ApiClient) -> None:
    if actor.role != Membership.Role.BEHEERDER or client.organisation_id != actor.organisation_id:
        raise ValidationError(_("Only an administrator of this organisation may do this."))


# --- the secret: shown once, kept so that the server can sign ---------------------------------


def _fernet() -> MultiFernet:
    """Fernet keys derived from SECRET_KEY and its fallbacks: the first encrypts, any decrypts,
    so a rotated SECRET_KEY (with the old one in SECRET_KEY_FALLBACKS) keeps every secret."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(
                        "partners.events.secret", "fernet", secret=key, algorithm="sha256"
                    ).digest()
                )
            )
            for key in keys
        ]
    )


def secret_seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def secret_open(sealed: str) -> str:
    return _fernet().decrypt(sealed.encode()).decode()


# --- subscriptions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedSecret:
    """A subscription just made and its signing secret, shown once."""

    subscription: EventSubscription
    secret: str


def url_problem(url: str) -> str | None:
    """Why a system cannot receive events at this address (in words for a person), or None."""
    try:
        target = webhooks.target_of(url, allow_http=settings.EVENT_ALLOW_HTTP)
        webhooks.resolve(target, allow_private=settings.EVENT_ALLOW_PRIVATE_ADDRESSES)
    except webhooks.Refused as refused:
        return str(refused)
    return None


@transaction.atomic
def subscription_create(
    *, actor: Membership, client: ApiClient, url: str, types: list[str]
) -> IssuedSecret:
    """Subscribe a valid system of the actor's organisation to event types at a URL; the
    signing secret is returned once. Only its administrator."""
    _require_admin(actor, client)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if not client.is_valid():
        raise ValidationError(_("This system's key was revoked or has expired."))
    url = url.strip()
    errors = {}
    if not url:
        errors["url"] = _("Fill in the address where the system receives the events.")
    elif problem := url_problem(url):
        errors["url"] = problem
    chosen = set(types)
    if not chosen:
        errors["types"] = _("Choose which events the system receives.")
    elif not chosen <= set(EventType.values):
        errors["types"] = _("Choose from the events offered.")
    if client.subscriptions.count() >= MOST_SUBSCRIPTIONS:
        errors["url"] = _("This system has %(count)s subscriptions already; that is the most.") % {
            "count": MOST_SUBSCRIPTIONS
        }
    if errors:
        raise ValidationError(errors)
    secret = webhooks.new_secret()
    subscription = EventSubscription.objects.create(
        client=client,
        url=url,
        types=[t for t in EventType.values if t in chosen],
        secret=secret_seal(secret),
        created_by_id=actor.user_id,
    )
    return IssuedSecret(subscription=subscription, secret=secret)


@transaction.atomic
def subscription_pause(*, actor: Membership, subscription: EventSubscription) -> None:
    """No new events for it, and what waits is held, until it is resumed."""
    _require_admin(actor, subscription.client)
    EventSubscription.objects.filter(pk=subscription.pk, paused_at__isnull=True).update(
        paused_at=timezone.now()
    )


@transaction.atomic
def subscription_resume(*, actor: Membership, subscription: EventSubscription) -> None:
    """Events again from now on; what waited while paused is sent at once."""
    _require_admin(actor, subscription.client)
    EventSubscription.objects.filter(pk=subscription.pk).update(paused_at=None)
    waiting = list(_waiting().filter(subscription=subscription).values_list("pk", flat=True)[:1000])
    if waiting:
        transaction.on_commit(lambda: queue(waiting))


# --- the outbox -------------------------------------------------------------------------------


def _active(now: datetime, path: str = "") -> Q:
    """Subscriptions (through `path`) that get events: not paused, of a valid client."""
    return Q(**{f"{path}paused_at__isnull": True, f"{path}client__revoked_at__isnull": True}) & (
        Q(**{f"{path}client__expires_at__isnull": True})
        | Q(**{f"{path}client__expires_at__gt": now})
    )


def events_emit(
    *, organisation_id: int, type: str, subject: str, data: dict, dedupe_key: str = ""
) -> Event | None:
    """In the caller's transaction: the event and one delivery per active subscription of the
    organisation's systems to its type; each delivery is queued after commit. Nothing is written
    when no system subscribed. With a dedupe_key an organisation gets the event once. `data`
    holds ids and statuses only: never names, addresses or other personal details."""
    now = timezone.now()
    subscriptions = [
        s
        for s in EventSubscription.objects.filter(
            _active(now), client__organisation_id=organisation_id
        ).only("pk", "types")
        if type in s.types
    ]
    if not subscriptions:
        return None
    event = Event(
        organisation_id=organisation_id,
        type=type,
        subject=subject,
        data=data,
        dedupe_key=dedupe_key,
        created_at=now,
    )
    if dedupe_key:
        # A twin written by a run at this very moment is no error: the organisation has it.
        Event.objects.bulk_create([event], ignore_conflicts=True)
        event = Event.objects.filter(uid=event.uid).first()
        if event is None:
            return None
    else:
        event.save()
    deliveries = EventDelivery.objects.bulk_create(
        EventDelivery(event=event, subscription_id=s.pk, created_at=now) for s in subscriptions
    )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: queue(ids))
    return event


def queue(ids: list[int]) -> None:
    """Hand the deliveries to Celery. When the broker cannot be reached they wait for the
    sweep: after the first failure the rest are not tried, so nobody waits long on Redis."""
    from partners.tasks import event_deliver  # tasks import this module

    for pk in ids:
        try:
            event_deliver.apply_async((pk,), retry=False)
        except Exception:  # the broker is down: the sweep queues them later
            logger.exception("Event deliveries %s… not queued; the sweep queues them later.", pk)
            return


def _waiting():
    return EventDelivery.objects.filter(delivered_at__isnull=True, failed_at__isnull=True)


def events_sweep(*, limit: int = 1000) -> int:
    """Queue again the deliveries still waiting EVENT_SWEEP_AFTER seconds after they were
    written or last swept, unless a worker holds them, they wait for their next turn, or their
    subscription is paused or its system revoked. Oldest first. Returns how many."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.EVENT_SWEEP_AFTER)
    ids = list(
        _waiting()
        .filter(_active(now, "subscription__"))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .filter(Q(queued_at__isnull=True, created_at__lt=cutoff) | Q(queued_at__lt=cutoff))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        EventDelivery.objects.filter(pk__in=ids).update(queued_at=now)
        queue(ids)
    return len(ids)


def events_purge(*, now: datetime | None = None) -> int:
    """Forget deliveries done (delivered or failed) more than EVENT_KEPT_DAYS ago, with their
    attempts, and the events left without deliveries; run daily by beat. A delivery still
    waiting is kept whatever its age, and so is an event with a dedupe key (a deadline passes
    once: its row is what says it was told). Returns how many deliveries went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EVENT_KEPT_DAYS)
    done = EventDelivery.objects.filter(created_at__lt=cutoff).filter(
        Q(delivered_at__isnull=False) | Q(failed_at__isnull=False)
    )
    with transaction.atomic():
        ids = list(done.values_list("pk", flat=True)[:10_000])
        EventAttempt.objects.filter(delivery_id__in=ids).delete()
        EventDelivery.objects.filter(pk__in=ids).delete()
        Event.objects.filter(created_at__lt=cutoff, dedupe_key="", deliveries__isnull=True).delete()
    return len(ids)


# --- one delivery -----------------------------------------------------------------------------


def cloudevent(event: Event) -> dict:
    """The event as a CloudEvent 1.0 (structured JSON). `source` + "/" + `subject` is where the
    system reads the rest through the API (a read that is logged)."""
    return {
        "specversion": SPEC_VERSION,
        "id": str(event.uid),
        "source": f"{settings.SITE_URL}/api/v1",
        "type": event.type,
        "subject": event.subject,
        "time": event.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "data": event.data,
    }


def event_body(event: Event) -> bytes:
    return json.dumps(cloudevent(event), separators=(",", ":"), ensure_ascii=False).encode()


def _claim(delivery_id: int) -> datetime | None:
    """Take the delivery for one attempt: one worker at a time, and only while its
    subscription is active. The claim outlasts the longest POST."""
    now = timezone.now()
    until = now + timedelta(seconds=2 * settings.EVENT_TIMEOUT_SECONDS + 30)
    taken = (
        _waiting()
        .filter(pk=delivery_id)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .filter(_active(now, "subscription__"))
        .update(claimed_until=until, attempts=F("attempts") + 1)
    )
    return until if taken else None


def event_deliver(*, delivery_id: int) -> bool:
    """POST one delivery; True when the receiver took it (2xx). Otherwise the attempt is logged
    and the delivery waits for its next turn, or after EVENT_MAX_ATTEMPTS is marked failed."""
    until = _claim(delivery_id)
    if until is None:
        return False
    delivery = EventDelivery.objects.select_related("event", "subscription").get(pk=delivery_id)
    started = timezone.now()
    body = event_body(delivery.event)
    try:
        secret = secret_open(delivery.subscription.secret)
    except InvalidToken:
        # SECRET_KEY changed without the old one in SECRET_KEY_FALLBACKS.
        answer = webhooks.Answer(Outcome.SECRET, None, "", 0)
    else:
        answer = webhooks.post(
            delivery.subscription.url,
            body=body,
            headers=webhooks.headers_for(
                secret=secret, message_id=str(delivery.event.uid), body=body
            ),
            timeout=settings.EVENT_TIMEOUT_SECONDS,
            allow_http=settings.EVENT_ALLOW_HTTP,
            allow_private=settings.EVENT_ALLOW_PRIVATE_ADDRESSES,
        )
    EventAttempt.objects.create(
        delivery_id=delivery_id,
        at=started,
        duration_ms=answer.duration_ms,
        outcome=answer.outcome,
        status_code=answer.status_code,
        detail=answer.detail,
    )
    now = timezone.now()
    mine = EventDelivery.objects.filter(pk=delivery_id, claimed_until=until)
    last = {"last_status_code": answer.status_code, "last_outcome": answer.outcome}
    if answer.delivered:
        return bool(mine.update(delivered_at=now, claimed_until=None, **last))
    if delivery.attempts >= settings.EVENT_MAX_ATTEMPTS:
        logger.error("Event delivery %s failed after %s attempts (%s).", delivery_id,
                     delivery.attempts, answer.outcome)  # fmt: skip
        mine.update(failed_at=now, claimed_until=None, **last)
    else:
        logger.warning("Event delivery %s: %s %s; tried again later.", delivery_id,
                       answer.outcome, answer.status_code or "")  # fmt: skip
        mine.update(claimed_until=now + backoff(delivery.attempts), **last)
    return False


@transaction.atomic
def delivery_resend(*, actor: Membership, delivery: EventDelivery) -> None:
    """Send a delivery again now, with the same event id: a failed one waits again with all
    its attempts ahead of it, a delivered one goes once more. Only while the subscription is
    active."""
    subscription = delivery.subscription
    _require_admin(actor, subscription.client)
    if subscription.paused_at is not None:
        raise ValidationError(_("Resume the subscription first."))
    if not subscription.client.is_valid():
        raise ValidationError(_("This system's key was revoked or has expired."))
    now = timezone.now()
    EventDelivery.objects.filter(pk=delivery.pk).update(
        delivered_at=None,
        failed_at=None,
        claimed_until=None,
        attempts=0,
        queued_at=now,
        resent_at=now,
    )
    transaction.on_commit(lambda: queue([delivery.pk]))
