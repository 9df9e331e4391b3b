"""How often: API_RATE_LIMIT requests per client (by its reference) in the shared cache (Redis
in production), so every web process counts together. Over it: 429 with Retry-After. A cache
that does not answer lets the request through rather than stopping every client.

Wrong keys are counted too, per address (API_FAILED_KEY_LIMIT): past it, a wrong key from that
address gets a 429 instead of a 401, so a script guessing keys is slowed down and a system with
a stale key is told to stop. A valid key from the same address always passes: one system's
stale key must not lock out others behind the same network address."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
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


def _failed_window() -> tuple[str, int, int]:
    """The cache key's period part, the limit and the seconds left in this period."""
    number, duration = SimpleRateThrottle.parse_rate(None, settings.API_FAILED_KEY_LIMIT)
    now = int(time.time())
    return str(now // duration), number, duration - now % duration


def failed_key_wait(address: str) -> int | None:
    """Seconds until this address may try a key again, or None when it may now."""
    period, most, left = _failed_window()
    try:
        failed = cache.get(f"api-failed-key:{address}:{period}", 0)
    except Exception:
        logger.warning("Cache unreachable; wrong API keys are not counted.")
        return None
    return left if failed >= most else None


def failed_key_count(address: str) -> None:
    period, _most, left = _failed_window()
    key = f"api-failed-key:{address}:{period}"
    try:
        cache.add(key, 0, left + 1)
        cache.incr(key)
    except Exception:
        logger.warning("Cache unreachable; wrong API keys are not counted.")
