"""How often: API_RATE_LIMIT requests per client (by its reference) in the shared cache (Redis
in production), so every web process counts together. Over it: 429 with Retry-After. A cache
that does not answer lets the request through rather than stopping every client."""

import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from cases.access.actors import Agent

logger = logging.getLogger(__name__)


class ClientRateThrottle(SimpleRateThrottle):
    scope = "client"

    def get_rate(self) -> str:
        # Read when asked, not when the class is made: settings may change (tests, reloads).
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view) -> str | None:
        agent = request.auth
        if not isinstance(agent, Agent):
            return None
        return self.cache_format % {"scope": self.scope, "ident": agent.reference}

    def allow_request(self, request, view) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except Exception:
            logger.warning("Cache unreachable; the API's rate limit is not counted.")
            return True
