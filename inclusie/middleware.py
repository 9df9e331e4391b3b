"""Request-wide rules: session time-outs, the actor, required MFA, and headers for privacy."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from partners.actor import actor_resolve

STARTED_KEY = "session_started_at"
LAST_SEEN_KEY = "session_last_seen_at"
# Writing the session on every request would cost a database write per page; a minute's
# precision on a thirty-minute idle limit is plenty.
LAST_SEEN_PRECISION = 60


class SessionTimeoutMiddleware:
    """End a session after SESSION_IDLE_TIMEOUT without requests, and SESSION_ABSOLUTE_TIMEOUT
    after it began, whatever happens in between."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(STARTED_KEY)
            last_seen = request.session.get(LAST_SEEN_KEY)
            if started is None:
                request.session[STARTED_KEY] = started = now
            if last_seen is None:
                last_seen = now
            idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT
            too_old = now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            if idle or too_old:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= LAST_SEEN_PRECISION or LAST_SEEN_KEY not in request.session:
                # The cookie itself stays a browser-session cookie (gone when the browser
                # closes); the idle limit is enforced here, from the session's own clock.
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class ActorMiddleware:
    """Put the acting membership on request.actor and all active ones on request.memberships."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor, request.memberships = actor_resolve(request)
        return self.get_response(request)


class MfaRequiredMiddleware:
    """With MFA_REQUIRED, a person without an authenticator app reaches only the pages that set
    one up (and logging out)."""

    ALLOWED_VIEWS = {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_logout",
        "account_reauthenticate",
        "set_language",
        "health",
        "alive",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MFA_REQUIRED or not request.user.is_authenticated:
            return None
        if request.resolver_match.view_name in self.ALLOWED_VIEWS:
            return None
        from allauth.mfa.models import Authenticator

        # Asked on every request (one indexed query), so a removed authenticator counts at once.
        if Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
            return None
        messages.info(
            request,
            _(
                "Set up an authenticator app first. Inclusie holds personal data, so every "
                "account logs in with a code from an app as well as a password."
            ),
        )
        return redirect("mfa_activate_totp")


class SecurityHeadersMiddleware:
    """No page with personal data may be kept by a browser or proxy cache, and the browser
    features Inclusie never uses are switched off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the person chose English with the language switch (its cookie). The browser's
    Accept-Language is not followed: many Dutch workers have an English browser."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
