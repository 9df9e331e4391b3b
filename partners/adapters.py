from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join through an invitation from their organisation's
    administrator (partners.services.memberships.invitation_create)."""

    def is_open_for_signup(self, request):
        return False


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        """With MFA_REQUIRED the authenticator app cannot be switched off, only replaced."""
        return not settings.MFA_REQUIRED
