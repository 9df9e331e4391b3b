"""The actor: the membership a request acts for, kept in the session.

Services and selectors take the actor, never a bare user; the access log records it as
"on behalf of"."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from partners.models import Membership

SESSION_KEY = "actor_membership_id"


def actor_resolve(request: HttpRequest) -> tuple[Membership | None, list[Membership]]:
    """The active memberships of the request's user and the one chosen as actor (one query).

    A person with one active membership acts for it without choosing."""
    if not request.user.is_authenticated:
        return None, []
    memberships = list(
        Membership.objects.active()
        .filter(user=request.user)
        .select_related("organisation", "user")
        .order_by("organisation__name")
    )
    chosen = request.session.get(SESSION_KEY)
    actor = next((m for m in memberships if m.pk == chosen), None)
    if actor is None and len(memberships) == 1:
        actor = memberships[0]
        request.session[SESSION_KEY] = actor.pk
    elif actor is None and chosen is not None:
        del request.session[SESSION_KEY]
    if actor is not None:
        # The actor carries where the request came from, for the access log.
        actor.origin = client_address(request)
    return actor, memberships


def client_address(request: HttpRequest) -> str:
    """The client's address for the access log: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT
    proxies the entry they added to X-Forwarded-For."""
    proxies = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def actor_set(request: HttpRequest, membership: Membership) -> None:
    """Act for another of the user's own active memberships from the next request on."""
    if membership.user_id != request.user.pk or not membership.is_active:
        raise PermissionDenied
    request.session[SESSION_KEY] = membership.pk
    membership.origin = client_address(request)
    request.actor = membership


def actor_required(*roles: str, kinds: tuple[str, ...] = ()):
    """Let a view through only for a logged-in person acting for an organisation, in one of
    `roles` and for an organisation of one of `kinds` when given (403 otherwise). Without an
    actor: choose one, or the no-membership page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.actor is None:
                if request.memberships:
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{reverse('partners:actor_choose')}?{query}")
                return redirect("partners:no_membership")
            if roles and request.actor.role not in roles:
                raise PermissionDenied
            if kinds and request.actor.organisation.kind not in kinds:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def installation_admin_required(view):
    """Let a view through only for an installation administrator (403 otherwise), who acts for
    no organisation here: the view must show no organisation's personal data."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_installation_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
