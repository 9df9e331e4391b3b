"""Sign-in through the organisation's identity provider (OpenID Connect, ADR 0021): what the
provider's answer says about the person, and whether its MFA counts as Inclusie's.

The providers are configured in settings (SOCIALACCOUNT_PROVIDERS, from the environment); each
app's `settings` carries Inclusie's own `trust_mfa`. The answer of a sign-in is allauth's
SocialLogin: the ID token's claims (signature and issuer checked by allauth) under
`account.extra_data["id_token"]`, and the e-mail addresses with whether the provider verified
them."""

import logging
import time
from functools import wraps
from urllib.parse import urlsplit

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.shortcuts import render
from requests import RequestException

logger = logging.getLogger(__name__)

# The ID token's `amr` (RFC 8176) values that show a second factor was used at the provider:
# "mfa" itself, a one-time password, or a hardware or software key.
MFA_AMR_VALUES = frozenset({"mfa", "otp", "hwk", "swk"})
# The `type` of the authentication record (allauth's, kept in the session) that says this
# session passed MFA at the identity provider, beside allauth's own "totp" and "recovery_codes".
IDENTITY_PROVIDER_MFA = "identity_provider"


def provider_configs() -> list[dict]:
    """The configured identity providers (settings), each as allauth's app dict."""
    providers = getattr(settings, "SOCIALACCOUNT_PROVIDERS", {})
    return list(providers.get("openid_connect", {}).get("APPS", []))


def provider_trusts_mfa(provider_id: str) -> bool:
    """Whether the installation trusts this provider's MFA (OIDC_TRUST_MFA or trust_mfa)."""
    return any(
        app.get("provider_id") == provider_id and app.get("settings", {}).get("trust_mfa") is True
        for app in provider_configs()
    )


def amr_shows_mfa(amr) -> bool:
    """Whether an ID token's `amr` claim names a second factor. Anything but a list of texts
    (absent, a bare string, garbage) shows nothing."""
    if not isinstance(amr, list):
        return False
    return any(isinstance(value, str) and value.lower() in MFA_AMR_VALUES for value in amr)


def id_token_claims(sociallogin) -> dict:
    claims = (sociallogin.account.extra_data or {}).get("id_token")
    return claims if isinstance(claims, dict) else {}


def mfa_trusted(sociallogin) -> bool:
    """This sign-in passed MFA at a provider whose MFA the installation trusts: both the
    configuration says so and the ID token shows it."""
    if sociallogin is None:
        return False
    return provider_trusts_mfa(sociallogin.account.provider) and amr_shows_mfa(
        id_token_claims(sociallogin).get("amr")
    )


def verified_email(sociallogin) -> str | None:
    """The e-mail address the provider vouches for (email_verified true), lower case; None when
    it gives none or does not say it verified it."""
    for address in sociallogin.email_addresses:
        if address.verified and address.email:
            return address.email.strip().lower()
    return None


def given_email(sociallogin) -> str | None:
    """The e-mail address the provider gave, verified or not (to say which one was refused)."""
    for address in sociallogin.email_addresses:
        if address.email:
            return address.email.strip().lower()
    return None


def session_signed_in_at_provider_since(request, seconds: float) -> bool:
    """This session signed in through an identity provider at most `seconds` ago."""
    oldest = time.time() - seconds
    return any(
        record.get("method") == "socialaccount" and float(record.get("at") or 0) >= oldest
        for record in get_authentication_records(request, request.user)
    )


def form_action_origins() -> list[str]:
    """The providers' origins: the login page's form goes to Inclusie, which redirects the
    browser to the provider, and a browser holds that redirect to the page's CSP form-action."""
    origins = []
    for app in provider_configs():
        parts = urlsplit(app.get("settings", {}).get("server_url", ""))
        if parts.scheme and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
    return origins


def form_action_to_providers(view):
    """Let the page's forms lead to the identity providers (CSP form-action, ADR 0005): the
    login page's buttons post to Inclusie, which redirects the browser to the provider."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origins = form_action_origins()
        if origins:
            response._csp_update = {"form-action": origins}
        return response

    return wrapped


def provider_unreachable_explained(view):
    """The button's page asks the provider for its configuration before sending the browser
    there; allauth lets a provider that is down or times out (SOCIALACCOUNT_REQUESTS_TIMEOUT)
    through as an error. The person gets the Dutch page of a failed sign-in, which points to
    the password login, and the operator a log line naming the provider."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except RequestException as exc:
            logger.warning(
                "Identity provider %s unreachable: %s.",
                kwargs.get("provider_id", "?"),
                type(exc).__name__,
            )
            return render(request, "socialaccount/authentication_error.html", status=502)

    return wrapped
