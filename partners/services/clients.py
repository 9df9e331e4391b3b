"""API clients (koppelingen, ADR 0024): an administrator registers a system of its own
organisation with the scopes it needs and gets its key, once; the key is checked on every
request by its prefix and its hash (partners.selectors.client_for_key); revoking it stops it
at once."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import KEY_START, ApiClient, Membership, Organisation, token_hash

Scope = ApiClient.Scope
# Scopes only a corporation can use: only a corporation has households to import, and its own
# signals to read out to its rental system.
CORPORATION_SCOPES = {Scope.HOUSEHOLDS_IMPORT, Scope.SIGNALS_READ}


@dataclass(frozen=True)
class IssuedKey:
    """A client just registered and its key, which is shown once and stored nowhere."""

    client: ApiClient
    key: str


def _require_admin(actor: Membership) -> None:
    if actor.role != Membership.Role.BEHEERDER:
        raise ValidationError(_("Only an administrator of this organisation may do this."))


def _new_key() -> tuple[str, str]:
    """A key as `inc_<prefix>_<secret>`: the prefix (public, 12 hex characters) finds the
    client, the secret (256 random bits) proves it."""
    prefix = secrets.token_hex(6)
    return prefix, f"{KEY_START}_{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def client_register(
    *,
    actor: Membership,
    name: str,
    scopes: list[str],
    expires_at: datetime | None = None,
) -> IssuedKey:
    """Register a system of the actor's organisation with its scopes; the key is returned
    once. Only an administrator; a name once per organisation among the valid clients."""
    _require_admin(actor)
    name = " ".join(name.split())
    errors = {}
    if not name:
        errors["name"] = _("Give the system a name.")
    elif ApiClient.objects.filter(
        organisation_id=actor.organisation_id, name__iexact=name, revoked_at__isnull=True
    ).exists():
        errors["name"] = _("Your organisation has a system with this name already.")
    scopes = sorted(set(scopes))
    if not scopes:
        errors["scopes"] = _("Choose what the system may do.")
    elif any(scope not in Scope.values for scope in scopes):
        errors["scopes"] = _("Choose from the scopes offered.")
    elif (
        CORPORATION_SCOPES & set(scopes) and actor.organisation.kind != Organisation.Kind.CORPORATIE
    ):
        errors["scopes"] = _(
            "Only a housing corporation imports households and reads its signals out."
        )
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("Choose a moment in the future.")
    if errors:
        raise ValidationError(errors)
    prefix, key = _new_key()
    client = ApiClient.objects.create(
        organisation_id=actor.organisation_id,
        name=name,
        scopes=scopes,
        key_prefix=prefix,
        key_hash=token_hash(key),
        created_by_id=actor.user_id,
        expires_at=expires_at,
    )
    return IssuedKey(client=client, key=key)


@transaction.atomic
def client_revoke(*, actor: Membership, client: ApiClient) -> ApiClient:
    """Revoke a client's key: its next request is refused. Once revoked, always revoked."""
    _require_admin(actor)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.organisation_id != actor.organisation_id:
        raise ValidationError(_("Only an administrator of this organisation may do this."))
    if client.revoked_at is None:
        client.revoked_at, client.revoked_by_id = timezone.now(), actor.user_id
        client.save(update_fields=["revoked_at", "revoked_by"])
    return client
