from django.conf import settings

from partners.models import Membership, Organisation
from partners.sessions import session_idle_remaining
from partners.views.submissions import drafts_saved


def actor(request):
    """The acting membership and the others the person may switch to, for the page header, with
    the roles and kinds of organisation to compare them with (never a string in a template)."""
    return {
        "Role": Membership.Role,
        "OrganisationKind": Organisation.Kind,
        "actor": getattr(request, "actor", None),
        "memberships": getattr(request, "memberships", []),
        "bell_poll_seconds": settings.NOTIFICATION_POLL_SECONDS,
    }


def session_clock(request):
    """For the page's timer and drafts (ADR 0016): seconds left before the idle limit, when to
    warn, and the keys of drafts just saved (read once, only by the page that shows them)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "session_remaining": session_idle_remaining(request.session),
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "drafts_saved": lambda: drafts_saved(request),
    }
