"""Personal links (ADR 0032): a worker hands a person without an account a link, by e-mail or
on screen; only the newest works, it expires, and revoking it stops it at once.

The e-mail is an outbox, like the notifications (ADR 0011): the link row is written with the
request, a task is queued after commit, and a sweep queues again what was not sent after
LINK_MAIL_SWEEP_AFTER seconds, so Redis being down delays the mail but loses none. The token is
made by the delivery itself, just before the mail goes out, and only its hash is stored: it
never waits in the queue or the database. A delivery that fails after the hash was written
leaves a link nobody has; the next attempt makes a new token."""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.access.actors import Actor
from cases.models import Helper, HelperEvent, PersonalLink
from cases.models.helpers import link_token_hash
from cases.services.helpers import _require_worker, helper_event_add
from cases.workflow import HelperStatus

logger = logging.getLogger(__name__)
Delivery = PersonalLink.Delivery
Purpose = PersonalLink.Purpose


@dataclass(frozen=True)
class IssuedLink:
    """A link just made; `url` only when it is handed over on screen (shown once)."""

    link: PersonalLink
    url: str = ""


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def link_url(token: str) -> str:
    return settings.SITE_URL + reverse("links:offer", args=[token])


def _revoke_open(helper: Helper, *, now) -> int:
    return PersonalLink.objects.filter(helper=helper, revoked_at__isnull=True).update(
        revoked_at=now
    )


@transaction.atomic
def helper_link_issue(*, actor: Actor, helper: Helper, delivery: str) -> IssuedLink:
    """Give a helper a new personal link to their own offer, by e-mail (queued after commit) or
    to show on screen now; any earlier link stops working. Only a worker of the organisation,
    not for a helper who stopped, by e-mail only to a helper with an address."""
    _require_worker(actor)
    helper = Helper.objects.visible_to(actor).select_for_update().get(pk=helper.pk)
    if helper.status == HelperStatus.STOPPED:
        raise ValidationError(_("This helper has stopped; they get no new link."))
    if delivery not in Delivery.values:
        raise ValidationError(_("Choose how to hand over the link."))
    if delivery == Delivery.EMAIL and not helper.email:
        raise ValidationError(_("This helper has no e-mail address; show the link on screen."))
    now = timezone.now()
    _revoke_open(helper, now=now)
    token = _new_token() if delivery == Delivery.SCREEN else ""
    link = PersonalLink.objects.create(
        organisation_id=helper.organisation_id,
        purpose=Purpose.HELPER_OFFER,
        helper=helper,
        token_hash=link_token_hash(token) if token else None,
        delivery=delivery,
        created_at=now,
        created_by_id=actor.user_id,
        expires_at=now + timedelta(days=settings.PERSONAL_LINK_VALID_DAYS),
        mail_to=helper.email if delivery == Delivery.EMAIL else "",
    )
    kind = HelperEvent.Kind.LINK_SENT if delivery == Delivery.EMAIL else HelperEvent.Kind.LINK_SHOWN
    helper_event_add(
        helper=helper, actor=actor, kind=kind, data={"link": link.pk, "until": str(link.expires_at)}
    )
    if delivery == Delivery.EMAIL:
        transaction.on_commit(lambda: queue(link.pk))
        return IssuedLink(link=link)
    return IssuedLink(link=link, url=link_url(token))


@transaction.atomic
def helper_link_revoke(*, actor: Actor, helper: Helper) -> int:
    """Stop the helper's link at once (its next request is refused). Returns how many."""
    _require_worker(actor)
    helper = Helper.objects.visible_to(actor).select_for_update().get(pk=helper.pk)
    revoked = _revoke_open(helper, now=timezone.now())
    if revoked:
        helper_event_add(helper=helper, actor=actor, kind=HelperEvent.Kind.LINK_REVOKED)
    return revoked


def queue(link_id: int) -> None:
    """Hand the mail to Celery; when the broker cannot be reached the sweep sends it later."""
    from cases.tasks import link_mail_deliver  # tasks import this module

    try:
        link_mail_deliver.apply_async((link_id,), retry=False)
    except Exception:  # the broker is down (or, eagerly, the mail server): the sweep retries
        logger.exception("The mail of link %s was not queued; the sweep queues it later.", link_id)


def _waiting() -> Q:
    return Q(
        delivery=Delivery.EMAIL,
        mailed_at__isnull=True,
        revoked_at__isnull=True,
    )


def link_mail_deliver(*, link_id: int) -> bool:
    """Send one link's mail, with a token made now. Claimed with a guarded update, so a second
    run, a re-queue by the sweep or a redelivery does nothing while it is out or once sent.
    A mail server that fails releases the claim and raises, so the task retries."""
    now = timezone.now()
    token = _new_token()
    claimed = (
        PersonalLink.objects.filter(_waiting(), pk=link_id, expires_at__gt=now)
        .filter(Q(mail_claimed_until__isnull=True) | Q(mail_claimed_until__lt=now))
        .update(
            mail_claimed_until=now + timedelta(seconds=settings.LINK_MAIL_CLAIM_SECONDS),
            token_hash=link_token_hash(token),
            mail_attempts=F("mail_attempts") + 1,
        )
    )
    if not claimed:
        return False
    link = PersonalLink.objects.select_related("helper", "organisation").get(pk=link_id)
    try:
        _send(link, token)
    except Exception:
        PersonalLink.objects.filter(pk=link_id).update(mail_claimed_until=None)
        raise
    PersonalLink.objects.filter(pk=link_id).update(mailed_at=timezone.now())
    return True


def _send(link: PersonalLink, token: str) -> None:
    context = {"link": link, "helper": link.helper, "url": link_url(token)}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("emails/helper_link_subject.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/helper_link.txt", context),
            to=[link.mail_to],
        )
        message.attach_alternative(
            render_to_string("emails/helper_link.html", context), "text/html"
        )
    message.send()


def link_mails_sweep(*, limit: int = 500) -> int:
    """Queue again the mails not sent LINK_MAIL_SWEEP_AFTER seconds after their link was made
    (lost when Redis was down, or a worker died); returns how many."""
    now = timezone.now()
    before = now - timedelta(seconds=settings.LINK_MAIL_SWEEP_AFTER)
    ids = list(
        PersonalLink.objects.filter(_waiting(), created_at__lt=before, expires_at__gt=now)
        .filter(Q(mail_claimed_until__isnull=True) | Q(mail_claimed_until__lt=now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        queue(pk)
    return len(ids)
