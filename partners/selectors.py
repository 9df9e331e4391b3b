"""Reads of partners: members, invitations, a person's notifications and e-mail choices, who
among people is a shared worker (samenlevingsondersteuner), the organisation's systems (API
clients) and their event subscriptions with the delivery log."""

import hmac
from collections.abc import Iterable

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partners.kinds import CHOOSABLE, KINDS, Email
from partners.models import (
    KEY_START,
    ApiClient,
    EventAttempt,
    EventDelivery,
    EventSubscription,
    Invitation,
    Membership,
    Notification,
    NotificationPreference,
    User,
    token_hash,
)


def membership_list(*, actor: Membership, status: str = "active", query: str = "") -> QuerySet:
    """Members of the actor's organisation: active, ended or all, searched by name or e-mail."""
    memberships = Membership.objects.filter(organisation_id=actor.organisation_id).select_related(
        "user"
    )
    if status == "active":
        memberships = memberships.filter(ended_at__isnull=True)
    elif status == "ended":
        memberships = memberships.filter(ended_at__isnull=False)
    if query:
        memberships = memberships.filter(
            Q(user__name__icontains=query) | Q(user__email__icontains=query)
        )
    return memberships.order_by("user__name", "-started_at")


def membership_get(*, actor: Membership, pk: int) -> Membership:
    """One membership of the actor's organisation; 404 for any other."""
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=pk,
        organisation_id=actor.organisation_id,
    )


def invitation_list_open(*, actor: Membership) -> QuerySet:
    return Invitation.objects.filter(
        organisation_id=actor.organisation_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")


def invitation_get(*, actor: Membership, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("organisation"),
        pk=pk,
        organisation_id=actor.organisation_id,
    )


def invitation_get_open(*, token: str) -> Invitation | None:
    """The open invitation a link's token belongs to, or None when unknown, used or expired."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )
    return invitation if invitation and invitation.is_open else None


def invitation_has_account(*, invitation: Invitation) -> bool:
    """Whether the invited address already logs in to Inclusie."""
    return User.objects.filter(email__iexact=invitation.email).exists()


def notifications_of(*, user: User) -> QuerySet:
    """A person's own notifications, newest first; the digest is an e-mail, not a list item."""
    return (
        Notification.objects.filter(recipient=user)
        .exclude(kind=Notification.Kind.DIGEST)
        .select_related("organisation")
        .order_by("-created_at", "-id")
    )


def notifications_unread_count(*, user: User) -> int:
    return (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .exclude(kind=Notification.Kind.DIGEST)
        .count()
    )


def notification_choices(*, user: User) -> dict[str, str]:
    """The person's e-mail choice for every kind, defaults filled in."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: email_choice(user_id=user.pk, kind=kind, chosen=chosen) for kind in CHOOSABLE}


def email_choice(*, user_id: int, kind: str, chosen: dict[str, str] | None = None) -> str:
    spec = KINDS[kind]
    if spec.mandatory:
        return Email.DIRECT
    if chosen is None:
        chosen = dict(
            NotificationPreference.objects.filter(user_id=user_id).values_list("kind", "email")
        )
    return chosen.get(kind, spec.default)


def shared_worker_ids(user_ids: Iterable[int]) -> set[int]:
    """The samenlevingsondersteuners among these people: active in more than one organisation."""
    return set(
        Membership.objects.active()
        .filter(user_id__in=list(user_ids))
        .values("user_id")
        .annotate(organisations=Count("organisation_id", distinct=True))
        .filter(organisations__gt=1)
        .values_list("user_id", flat=True)
    )


# --- API clients (ADR 0024) ------------------------------------------------------------------


def client_list(*, actor: Membership) -> QuerySet:
    """The API clients of the actor's organisation, the valid ones first."""
    return (
        ApiClient.objects.filter(organisation_id=actor.organisation_id)
        .select_related("created_by", "revoked_by")
        .order_by(F("revoked_at").desc(nulls_first=True), "name")
    )


def client_get(*, actor: Membership, pk: int) -> ApiClient:
    """One API client of the actor's organisation; 404 for any other."""
    return get_object_or_404(ApiClient, pk=pk, organisation_id=actor.organisation_id)


def client_for_key(key: str) -> ApiClient | None:
    """The valid client this key belongs to, or None (unknown, wrong, revoked or past its
    end). One query by the prefix; the hash is compared in constant time."""
    start, _sep, rest = key.partition("_")
    prefix, _sep, secret = rest.partition("_")
    if start != KEY_START or len(prefix) != 12 or not secret:
        return None
    client = ApiClient.objects.select_related("organisation").filter(key_prefix=prefix).first()
    if client is None or not hmac.compare_digest(client.key_hash, token_hash(key)):
        return None
    return client if client.is_valid() else None


# --- Events to the organisation's systems (ADR 0029) -----------------------------------------

# The attempts the log shows per delivery: the latest few (all are kept).
ATTEMPTS_SHOWN = 5


def subscription_list(*, client: ApiClient) -> QuerySet:
    """The event subscriptions of one system, oldest first."""
    return EventSubscription.objects.filter(client=client)


def subscription_get(*, actor: Membership, client_pk: int, pk: int) -> EventSubscription:
    """One subscription of a system of the actor's organisation; 404 for any other."""
    return get_object_or_404(
        EventSubscription.objects.select_related("client", "created_by"),
        pk=pk,
        client_id=client_pk,
        client__organisation_id=actor.organisation_id,
    )


def delivery_log(*, subscription: EventSubscription) -> QuerySet:
    """A subscription's deliveries, newest first, each with its event and latest attempts (one
    query for the page's attempts, whatever its length)."""
    return (
        EventDelivery.objects.filter(subscription=subscription)
        .select_related("event")
        .prefetch_related(
            Prefetch("log", queryset=EventAttempt.objects.order_by("-at", "-id"), to_attr="tries")
        )
        .order_by("-created_at", "-id")
    )


def delivery_get(*, subscription: EventSubscription, pk: int) -> EventDelivery:
    """One delivery of the subscription (already the actor's); 404 for any other."""
    return get_object_or_404(
        EventDelivery.objects.select_related("subscription__client"),
        pk=pk,
        subscription=subscription,
    )
