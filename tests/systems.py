"""Systems of an organisation that call the API (ADR 0024) and listen for its events (ADR 0029):
register one with a key, call the API as it, subscribe it to events. A pytest plugin
(tests/conftest.py's pytest_plugins), so every test directory has them."""

import json

import pytest

from partners.models import ApiClient, Membership, Organisation
from partners.services.clients import CORPORATION_SCOPES, client_register
from tests.factories import MembershipFactory

Role = Membership.Role
Kind = Organisation.Kind


@pytest.fixture
def api_key(db):
    """Register an API client of an organisation with scopes (all it may have when none are
    given), as its administrator does; returns the client and its key."""

    def register(organisation, *scopes, name="Huursysteem", expires_at=None):
        admin = MembershipFactory(organisation=organisation, role=Role.BEHEERDER)
        corporation = organisation.kind == Kind.CORPORATIE
        issued = client_register(
            actor=admin,
            name=name,
            scopes=list(scopes)
            or [s for s in ApiClient.Scope.values if corporation or s not in CORPORATION_SCOPES],
            expires_at=expires_at,
        )
        return issued.client, issued.key

    return register


@pytest.fixture
def call(client):
    """Call the API as a system with `key` (none: without a key), with a JSON body if given."""

    def _call(key, method, path, body=None, **headers):
        if key:
            headers["Authorization"] = f"Bearer {key}"
        extra = {}
        if body is not None:
            extra = {"data": json.dumps(body), "content_type": "application/json"}
        return getattr(client, method)(path, headers=headers, **extra)

    return _call


@pytest.fixture
def subscribe(api_key, settings):
    """Subscribe a system of an organisation (a new one unless `client` is given) to event types
    (all when none are given) at a URL, as its administrator does; returns the subscription and
    its secret. Addresses on this machine are allowed, over http."""
    from partners.models import EventType
    from partners.services.events import subscription_create

    settings.EVENT_ALLOW_HTTP = True
    settings.EVENT_ALLOW_PRIVATE_ADDRESSES = True
    made = []

    def _subscribe(organisation, url, *types, client=None):
        if client is None:
            client, _key = api_key(organisation, name=f"Systeem {len(made) + 1}")
        made.append(client)
        admin = MembershipFactory(organisation=organisation, role=Role.BEHEERDER)
        issued = subscription_create(
            actor=admin, client=client, url=url, types=list(types) or list(EventType.values)
        )
        return issued.subscription, issued.secret

    return _subscribe
