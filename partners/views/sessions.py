"""The session's clock for the page's timer: how long until the idle limit, and staying
signed in (ADR 0016)."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.http import require_http_methods

from partners.sessions import session_idle_remaining


@require_http_methods(["GET", "POST"])
@login_required
def session_status(request):
    """Seconds left before the idle limit. The timer asks with GET as a background request,
    which does not count as activity (and, past the limit, gets a 401 from the middleware);
    the "Stay signed in" button POSTs, which does. The current form token comes along: a page
    kept on the device for use offline carries one from before the person signed in again,
    and sending its waiting visits needs today's (ADR 0030). So does whose session it is: a
    phone shared by two people sends a visit only in the session of the person who made it."""
    return JsonResponse(
        {
            "remaining": session_idle_remaining(request.session),
            "csrf": get_token(request),
            "user": request.user.pk,
        }
    )
