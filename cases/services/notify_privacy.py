"""The one place where privacy tells people something: a notification to an organisation's
privacy officers (partners.notifications, the outbox). Notifications carry no personal details:
no names, only ids in `data`; the url leads to the page that shows what its reader may see."""

from partners.models import Membership, Organisation, User
from partners.notifications import notify


def privacy_officers(organisation_id: int):
    return User.objects.filter(
        memberships__organisation_id=organisation_id,
        memberships__role=Membership.Role.PRIVACYFUNCTIONARIS,
        memberships__ended_at__isnull=True,
        is_active=True,
    ).distinct()


def privacy_officers_notify(
    *, organisation_id: int, kind: str, url: str, data: dict, dedupe_key: str
) -> list:
    """Notify the organisation's privacy officers, in the caller's transaction (the outbox;
    with a dedupe_key nobody is told twice)."""
    return notify(
        recipients=list(privacy_officers(organisation_id)),
        kind=kind,
        organisation=Organisation.objects.get(pk=organisation_id),
        url=url,
        data=data,
        dedupe_key=dedupe_key,
    )
