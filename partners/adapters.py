from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join through an invitation from their organisation's
    administrator (partners.services.invitation_create)."""

    def is_open_for_signup(self, request):
        return False
