"""Sign-in through the organisation's identity provider (ADR 0021): who a verified e-mail
address signs in as, accepting the invitations sent to it when that is what lets them in."""

from django.db import transaction
from django.utils import timezone

from partners.models import Invitation, Membership, User
from partners.services.memberships import invitation_accept


@transaction.atomic
def identity_sign_in(*, email: str, name: str = "") -> User | None:
    """The person an e-mail address the identity provider verified signs in as: a member, or
    someone with an open invitation, whose invitations are then accepted as the link would
    (a new account has no password). None for anyone else, and then nothing is written."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and not user.is_active:
        return None
    if user is not None and Membership.objects.active().filter(user=user).exists():
        return user
    newest_per_organisation = {}
    for invitation in Invitation.objects.filter(
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("created_at"):
        newest_per_organisation[invitation.organisation_id] = invitation
    if not newest_per_organisation:
        return None
    invitations = list(newest_per_organisation.values())
    if user is None:
        chosen = invitations[-1].name or name
        user = User.objects.create_user(email=email, password=None, name=chosen.strip()[:150])
    for invitation in invitations:
        invitation_accept(invitation=invitation, user=user)
    return user
