"""Who calls: an API client by its key in `Authorization: Bearer <key>` (ADR 0024). It acts as
an agent of its organisation (cases.access.actors), which `request.auth` carries; there is no
person, so `request.user` stays anonymous."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from cases.access.actors import agent_for_client
from inclusie.api.throttling import failed_key_count, failed_key_wait
from partners.actor import client_address
from partners.selectors import client_for_key

SCHEME = "Bearer"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        address = client_address(request)
        scheme, _space, key = header.partition(" ")
        client = client_for_key(key.strip()) if scheme.lower() == SCHEME.lower() else None
        if client is not None:
            # A valid key always passes: wrong keys from a shared address (a municipality's
            # network, a vendor serving several organisations) hold up only the wrong keys.
            return AnonymousUser(), agent_for_client(client, origin=address)
        wait = failed_key_wait(address)
        if wait is not None:
            raise exceptions.Throttled(wait)
        failed_key_count(address)
        raise exceptions.AuthenticationFailed(_("The key is unknown, revoked or past its end."))

    def authenticate_header(self, request) -> str:
        # Makes a request without a key a 401 (not a 403), as the design rules ask.
        return f'{SCHEME} realm="api"'
