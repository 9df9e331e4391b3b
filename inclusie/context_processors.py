from django.conf import settings


def actor(request):
    """The acting membership and the others the person may switch to, for the page header."""
    return {
        "actor": getattr(request, "actor", None),
        "memberships": getattr(request, "memberships", []),
        "bell_poll_seconds": settings.NOTIFICATION_POLL_SECONDS,
    }
