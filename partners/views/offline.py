"""What a phone may keep for use without a network (ADR 0030): the service worker caches a page
only when its answer says so, so only pages a person opened themselves are kept, and never a
list of other households."""

from functools import wraps

# The service worker (templates/sw.js) keeps a successful page that carries this header.
OFFLINE_HEADER = "Inclusie-Offline"


def kept_offline(view):
    """Mark a page (its successful GET) as one the device may keep to open without a network."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            response[OFFLINE_HEADER] = "keep"
        return response

    return wrapper
