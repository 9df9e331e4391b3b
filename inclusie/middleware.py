"""Request-wide rules: session time-outs, the actor, required MFA, and headers for privacy."""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from partners.actor import actor_resolve
from partners.mfa import session_mfa_by_identity_provider
from partners.sessions import LAST_SEEN_KEY, STARTED_KEY

# Writing the session on every request would cost a database write per page; a minute's
# precision on a thirty-minute idle limit is plenty.
LAST_SEEN_PRECISION = 60
# Sent by requests the page makes on its own (the bell's poll, an import's progress, the
# session timer): they are not the person being active (ADR 0016).
BACKGROUND_HEADER = "X-Inclusie-Background"


def is_background(request) -> bool:
    return request.headers.get(BACKGROUND_HEADER) == "1"


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _page_of(request) -> str:
    """The page the person was on, to return to after logging in again: for htmx the page that
    asked, for a form the page that showed it (a form's target may answer only POST)."""
    if _is_htmx(request):
        candidate = request.headers.get("HX-Current-URL", "")
    elif request.method == "POST":
        candidate = request.headers.get("Referer", "")
    else:
        return request.get_full_path()
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(candidate)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def _to_login(request, page: str):
    """To the login page, coming back to page. A request the page made itself (htmx, the
    timer) gets a 401 that htmx follows with HX-Redirect, never a login page swapped into a
    corner of the page."""
    to_login = redirect_to_login(page)
    if _is_htmx(request) or is_background(request):
        response = HttpResponse(status=401)
        response["HX-Redirect"] = to_login["Location"]
        return response
    return to_login


class SessionTimeoutMiddleware:
    """End a session after SESSION_IDLE_TIMEOUT without the person doing anything, and
    SESSION_ABSOLUTE_TIMEOUT after it began, whatever happens in between. Background requests
    are ended like any other, but do not count as activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            if is_background(request):
                return _to_login(request, _page_of(request))
            return self.get_response(request)
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
            page = _page_of(request)
            logout(request)
            messages.info(request, _("Your session has ended. Please log in again."))
            return _to_login(request, page)
        if LAST_SEEN_KEY not in request.session or (
            now - last_seen >= LAST_SEEN_PRECISION and not is_background(request)
        ):
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
    one up (and logging out), unless this session did MFA at a trusted identity provider."""

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
        "sessions:status",
        "accessibility",  # public: the statement is for everyone, before MFA too
        "service_worker",  # the installable app's files (ADR 0030): no personal data
        "manifest",
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
        if session_mfa_by_identity_provider(request):
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
