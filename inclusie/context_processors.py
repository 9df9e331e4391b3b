from django.conf import settings

from partners.models import Membership, Organisation


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
