"""API clients (ADR 0024): an administrator registers a system of its own organisation with
scopes and gets its key once; only the key's hash is kept; a revoked or expired key no longer
finds its client."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.models import ApiClient, token_hash
from partners.selectors import client_for_key
from partners.services.clients import client_register, client_revoke

pytestmark = pytest.mark.django_db

Scope = ApiClient.Scope


def test_an_administrator_registers_a_system_and_gets_its_key_once(admin):
    issued = client_register(
        actor=admin, name="  Huur  systeem ", scopes=[Scope.HOUSEHOLDS_READ, Scope.HOUSEHOLDS_READ]
    )
    client = ApiClient.objects.get()
    assert (client.name, client.scopes, client.organisation) == (
        "Huur systeem",
        [Scope.HOUSEHOLDS_READ],
        admin.organisation,
    )
    assert issued.key.startswith(f"inc_{client.key_prefix}_")
    assert len(issued.key) > 50
    # Only the hash is stored: a copy of the database lets nobody in.
    assert client.key_hash == token_hash(issued.key)
    assert issued.key not in str(ApiClient.objects.values().get())
    assert client_for_key(issued.key) == client


def test_only_an_administrator_registers_or_revokes(corporation_worker, admin):
    with pytest.raises(ValidationError):
        client_register(actor=corporation_worker, name="X", scopes=[Scope.HOUSEHOLDS_READ])
    issued = client_register(actor=admin, name="X", scopes=[Scope.HOUSEHOLDS_READ])
    with pytest.raises(ValidationError):
        client_revoke(actor=corporation_worker, client=issued.client)
    assert client_for_key(issued.key) is not None


def test_an_administrator_of_another_organisation_cannot_revoke(admin, outsider_admin):
    issued = client_register(actor=admin, name="X", scopes=[Scope.HOUSEHOLDS_READ])
    with pytest.raises(ValidationError):
        client_revoke(actor=outsider_admin, client=issued.client)
    assert client_for_key(issued.key) is not None


@pytest.mark.parametrize(
    ("name", "scopes", "field"),
    [
        ("", [Scope.HOUSEHOLDS_READ], "name"),
        ("Huursysteem", [], "scopes"),
        ("Huursysteem", ["alles:mogen"], "scopes"),
    ],
)
def test_a_name_and_known_scopes_are_needed(admin, name, scopes, field):
    with pytest.raises(ValidationError) as refused:
        client_register(actor=admin, name=name, scopes=scopes)
    assert field in refused.value.message_dict
    assert not ApiClient.objects.exists()


def test_a_name_is_used_once_among_the_valid_clients(admin):
    first = client_register(actor=admin, name="Huursysteem", scopes=[Scope.HOUSEHOLDS_READ])
    with pytest.raises(ValidationError, match="al een systeem"):
        client_register(actor=admin, name="HUURSYSTEEM", scopes=[Scope.HOUSEHOLDS_READ])
    client_revoke(actor=admin, client=first.client)
    client_register(actor=admin, name="Huursysteem", scopes=[Scope.HOUSEHOLDS_READ])
    assert ApiClient.objects.count() == 2


def test_only_a_corporation_imports_households(api_key, welfare):
    with pytest.raises(ValidationError, match="woningcorporatie"):
        api_key(welfare, Scope.HOUSEHOLDS_IMPORT)


def test_a_revoked_key_finds_no_client_at_once(admin):
    issued = client_register(actor=admin, name="X", scopes=[Scope.REFERRALS_READ])
    client_revoke(actor=admin, client=issued.client)
    assert client_for_key(issued.key) is None
    client = ApiClient.objects.get()
    assert client.revoked_by == admin.user
    client_revoke(actor=admin, client=client)  # twice is once
    assert ApiClient.objects.get().revoked_at == client.revoked_at


def test_an_expired_key_finds_no_client(admin):
    issued = client_register(
        actor=admin,
        name="X",
        scopes=[Scope.REFERRALS_READ],
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert client_for_key(issued.key) is not None
    ApiClient.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client_for_key(issued.key) is None


def test_an_end_in_the_past_is_refused(admin):
    with pytest.raises(ValidationError) as refused:
        client_register(
            actor=admin,
            name="X",
            scopes=[Scope.REFERRALS_READ],
            expires_at=timezone.now() - datetime.timedelta(days=1),
        )
    assert "expires_at" in refused.value.message_dict


@pytest.mark.parametrize(
    "wrong",
    [
        "",
        "inc_",
        "Bearer x",
        "inc_123456789012_",
        "xyz_{prefix}_{secret}",
        "inc_{prefix}_{secret}x",
        "inc_{prefix}_",
    ],
)
def test_a_wrong_key_finds_no_client(admin, wrong):
    issued = client_register(actor=admin, name="X", scopes=[Scope.REFERRALS_READ])
    _start, prefix, secret = issued.key.split("_", 2)
    assert client_for_key(wrong.format(prefix=prefix, secret=secret)) is None
