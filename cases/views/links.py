"""The pages a personal link opens (ADR 0032), under /link/<token>/: no login, no session, and
the holder acts as the link's Agent, reaching only the object of the link's purpose.

Every answer carries Referrer-Policy: no-referrer (the token is in the address; no page it
links to may learn it) and Cache-Control: no-store. A wrong, expired or revoked token gets the
same 404 page, which says to ask the worker for a new link and not which of these it was.
Wrong tokens are counted per address (LINK_FAILED_TOKEN_LIMIT) and requests per link
(LINK_RATE_LIMIT) in the shared cache; past either a 429 (a valid link from an address past
its wrong tokens still passes, so a shared network does not lock a helper out). A cache that
does not answer lets the request through: the database decides who gets in, the cache only
slows guessing."""

import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from cases.access.actors import agent_for_link
from cases.selectors.links import link_for_token
from partners.actor import client_address

logger = logging.getLogger(__name__)
SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def _rate(value: str) -> tuple[int, int]:
    number, period = value.split("/")
    return int(number), SECONDS[period]


def _over(key: str, rate: str, *, count: bool) -> int | None:
    """Seconds until `key` may go on when it is past `rate` in this period, else None; with
    `count`, this request is counted first."""
    most, duration = _rate(rate)
    now = int(time.time())
    key = f"link:{key}:{now // duration}"
    left = duration - now % duration
    try:
        if count:
            cache.add(key, 0, left + 1)
            done = cache.incr(key)
        else:
            done = cache.get(key, 0)
    except Exception:
        logger.warning("Cache unreachable; personal links are not rate-limited.")
        return None
    return left if done > most or (not count and done >= most) else None


def _private(response):
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


def _refused(request, *, wait: int | None = None):
    if wait is not None:
        response = render(request, "cases/links/slow_down.html", {"wait": wait}, status=429)
        response["Retry-After"] = str(wait)
    else:
        response = render(request, "cases/links/invalid.html", status=404)
    return _private(response)


def link_page(purpose: str):
    """A page a link of `purpose` opens: request.link is the link, request.agent its actor."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, token, *args, **kwargs):
            address = client_address(request)
            link = link_for_token(token, purpose=purpose)
            if link is None:
                # As the API's wrong keys (ADR 0024): counted per address, past the limit a
                # 429; a valid link from the same address always passes.
                failed = f"failed:{address}"
                wait = _over(failed, settings.LINK_FAILED_TOKEN_LIMIT, count=False)
                if wait is None:
                    _over(failed, settings.LINK_FAILED_TOKEN_LIMIT, count=True)
                return _refused(request, wait=wait)
            wait = _over(f"used:{link.pk}", settings.LINK_RATE_LIMIT, count=True)
            if wait is not None:
                return _refused(request, wait=wait)
            request.link = link
            request.agent = agent_for_link(link, origin=address)
            try:
                response = view(request, token, *args, **kwargs)
            except Http404:
                # What the link does not reach answers as a wrong token does (ADR 0033).
                response = render(request, "cases/links/invalid.html", status=404)
            return _private(response)

        return wrapped

    return decorator
