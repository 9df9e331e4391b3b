"""Pages that need a session which passed MFA itself, not only an account that has it.

MfaRequiredMiddleware makes every account set up an authenticator app; someone who set it up
during this session has not yet given a code in it. allauth records each authentication step of
the session (`allauth.account.authentication.get_authentication_records`): a step with method
"mfa" is a code given at login or at reauthentication, with its time ("at", seconds since the
epoch); a step older than MFA_FRESH_HOURS no longer counts. A sign-in through an identity
provider whose MFA is trusted records such a step too, of type "identity_provider" (ADR 0021)."""

import time
from functools import wraps

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from partners.identity import IDENTITY_PROVIDER_MFA


def session_passed_mfa(request: HttpRequest) -> bool:
    """A code from the app was given in this session, at most MFA_FRESH_HOURS ago."""
    oldest = time.time() - settings.MFA_FRESH_HOURS * 3600
    records = get_authentication_records(request, request.user)
    return any(
        record.get("method") == "mfa" and float(record.get("at") or 0) >= oldest
        for record in records
    )


def session_mfa_by_identity_provider(request: HttpRequest) -> bool:
    """This session signed in through an identity provider whose MFA the installation trusts,
    and the provider said MFA was done: it needs no authenticator app of Inclusie's."""
    return any(
        record.get("method") == "mfa" and record.get("type") == IDENTITY_PROVIDER_MFA
        for record in get_authentication_records(request, request.user)
    )


def mfa_session_required(view):
    """With MFA_REQUIRED, let the view through only for a session that passed MFA; otherwise
    ask for a code from the app (allauth's reauthentication) and come back. Put it after
    actor_required, so a wrong role is still a 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.MFA_REQUIRED and not session_passed_mfa(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped
