"""A real OpenID Connect provider for the tests of sign-in through an identity provider (ADR 0021):
oidc-provider-mock (PyPI, the dev extra), an authlib server that speaks OpenID Connect over HTTP
on a free port of this machine: discovery, authorisation, token, userinfo and signed ID tokens.
Clients must register (RFC 7591), so it checks Inclusie's client id, secret and redirect URI.

Each test's people are put on the provider with the claims the test needs (email,
email_verified, amr); the person "logs in" at the provider by naming their subject on its
authorisation page."""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import requests

PROVIDER_ID = "testidp"
PROVIDER_NAME = "Testdorp ID"


@dataclass
class IdentityProvider:
    url: str
    client_id: str
    secret: str
    provider_id: str = PROVIDER_ID
    name: str = PROVIDER_NAME

    @property
    def login_url(self) -> str:
        """Inclusie's page that sends the browser to the provider (the button posts here)."""
        from django.urls import reverse

        return reverse("openid_connect_login", kwargs={"provider_id": self.provider_id})

    @staticmethod
    def path_of(url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def add_person(self, email, *, email_verified=True, amr=None, name="Test Persoon") -> str:
        """Put a person on the provider; returns the subject to log in with."""
        sub = f"sub-{email}"
        claims = {"email": email, "email_verified": email_verified, "name": name}
        if amr is not None:
            claims["amr"] = amr
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        response.raise_for_status()
        return sub

    def authorise(self, authorize_url: str, sub: str) -> str:
        """What a person does on the provider's page: log in as `sub`. Returns where the
        provider sends the browser back to (Inclusie's callback with code and state)."""
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text
        return response.headers["Location"]


@pytest.fixture(scope="session")
def identity_provider_server():
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(require_client_registration=True, require_nonce=False) as server:
        yield f"http://localhost:{server.server_port}"


def provider_settings(provider: IdentityProvider, *, trust_mfa: bool) -> dict:
    """SOCIALACCOUNT_PROVIDERS as inclusie.settings makes it from OIDC_* in the environment."""
    from inclusie.settings import oidc_providers_from_env

    env = {
        "OIDC_SERVER_URL": provider.url,
        "OIDC_PROVIDER_ID": PROVIDER_ID,
        "OIDC_NAME": PROVIDER_NAME,
        "OIDC_CLIENT_ID": provider.client_id,
        "OIDC_CLIENT_SECRET": provider.secret,
        "OIDC_TRUST_MFA": "true" if trust_mfa else "false",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.delenv("OIDC_PROVIDERS", raising=False)
        apps = oidc_providers_from_env()
    return {"openid_connect": {"APPS": apps, "OAUTH_PKCE_ENABLED": True}}


@pytest.fixture
def identity_provider(request, identity_provider_server, settings):
    """Inclusie registered as a client at the provider, and configured to offer it (MFA at the
    provider not trusted; tests that trust it call `trust_mfa`)."""
    bases = ["http://testserver"]
    if "live_server" in request.fixturenames:
        bases.append(request.getfixturevalue("live_server").url)
    callback = f"/account/oidc/{PROVIDER_ID}/login/callback/"
    response = requests.post(
        f"{identity_provider_server}/oauth2/clients",
        json={
            "redirect_uris": [base + callback for base in bases],
            "token_endpoint_auth_method": "client_secret_post",
        },
        timeout=5,
    )
    response.raise_for_status()
    client = response.json()
    provider = IdentityProvider(
        url=identity_provider_server, client_id=client["client_id"], secret=client["client_secret"]
    )

    def trust_mfa(trusted=True):
        settings.SOCIALACCOUNT_PROVIDERS = provider_settings(provider, trust_mfa=trusted)

    provider.trust_mfa = trust_mfa
    trust_mfa(False)
    return provider


@pytest.fixture
def unreachable_identity_provider(settings):
    """A provider configured but not answering (down, or no network): nothing listens on port
    9 of this machine."""
    provider = IdentityProvider(url="http://127.0.0.1:9", client_id="x", secret="y")
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(provider, trust_mfa=False)
    return provider
