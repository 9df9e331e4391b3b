"""What a client may: each view names the scope its method needs (`scopes`, by HTTP method); a
client without it gets a 403, a request without a key a 401 (ADR 0024)."""

from django.utils.translation import gettext as _
from rest_framework import permissions

from cases.access.actors import Agent


class ScopeRequired(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        agent = request.auth
        if not isinstance(agent, Agent):
            return False  # DRF answers 401: no client authenticated
        needed = view.scopes.get(request.method)
        if needed is None and not hasattr(view, request.method.lower()):
            return True  # a method the resource does not take: 405 follows
        self.message = _("This system may not do this: it needs the scope “%(scope)s”.") % {
            "scope": needed
        }
        return needed is not None and agent.may(needed)
