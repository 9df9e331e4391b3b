import logging

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import record_authentication
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render

from partners import identity
from partners.services.identity import identity_sign_in

_ALLAUTH_MFA_STAGE = "allauth.mfa.stages.AuthenticateStage"
logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join through an invitation from their organisation's
    administrator (partners.services.memberships.invitation_create)."""

    def is_open_for_signup(self, request):
        return False

    def get_login_stages(self):
        return [
            "partners.adapters.MfaStage" if path == _ALLAUTH_MFA_STAGE else path
            for path in super().get_login_stages()
        ]

    def is_reauthentication_required(self, *, app, **kwargs):
        """A session that signed in at an identity provider moments ago has just shown there who
        it is: as good as typing the password again, and the only way for someone who joined
        through the provider and has no password (setting up the authenticator app asks it)."""
        request = context.request
        if (
            request is not None
            and request.user.is_authenticated
            and identity.session_signed_in_at_provider_since(
                request, account_settings.REAUTHENTICATION_TIMEOUT
            )
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def post_login(self, request, user, **kwargs):
        """A sign-in that passed MFA at a trusted identity provider counts, for this session, as
        one that gave a code from the app (partners.mfa)."""
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if identity.mfa_trusted(sociallogin):
            record_authentication(
                request,
                user,
                "mfa",
                type=identity.IDENTITY_PROVIDER_MFA,
                provider=sociallogin.account.provider,
            )
        return super().post_login(request, user, **kwargs)


class MfaStage(AuthenticateStage):
    """allauth's step at login that asks for a code from the app, passed over when this very
    sign-in did MFA at an identity provider whose MFA the installation trusts (ADR 0021)."""

    def _should_handle(self, request) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if identity.mfa_trusted(sociallogin):
            return False
        return super()._should_handle(request)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        """With MFA_REQUIRED the authenticator app cannot be switched off, only replaced."""
        return not settings.MFA_REQUIRED


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Sign-in through the organisation's identity provider (ADR 0021): a verified e-mail address
    that belongs to a member, or to someone with an open invitation, signs in as that person;
    anyone else gets a page saying why not, and nothing is stored."""

    def is_open_for_signup(self, request, sociallogin):
        return False

    def list_apps(self, request, provider=None, client_id=None):
        """Only the environment configures providers (settings, ADR 0021): a row in the database
        never counts, so nobody adds a way in without the operator, and no page asks the
        database for them."""
        apps = []
        for config in identity.provider_configs():
            app = SocialApp(
                provider="openid_connect",
                provider_id=config["provider_id"],
                name=config["name"],
                client_id=config["client_id"],
                secret=config["secret"],
                settings=dict(config["settings"]),
            )
            if provider and provider not in (app.provider, app.provider_id):
                continue
            if client_id and app.client_id != client_id:
                continue
            apps.append(app)
        return apps

    def pre_social_login(self, request, sociallogin):
        email = identity.verified_email(sociallogin)
        if email is None:
            raise ImmediateHttpResponse(self._no_access(request, sociallogin, unverified=True))
        claims = identity.id_token_claims(sociallogin)
        name = claims.get("name") if isinstance(claims.get("name"), str) else ""
        try:
            user = identity_sign_in(email=email, name=name)
        except ValidationError:
            # An invitation used up or revoked in the same moment: nothing was kept (the
            # service is atomic), and the person is refused like anyone without one.
            user = None
        if user is None:
            raise ImmediateHttpResponse(self._no_access(request, sociallogin, unverified=False))
        sociallogin.user = user

    def _no_access(self, request, sociallogin, *, unverified: bool):
        # For the operator, without the address (personal data): which provider, and why.
        logger.info(
            "Sign-in through identity provider %s refused: %s.",
            sociallogin.account.provider,
            "e-mail address not verified" if unverified else "no member or open invitation",
        )
        context = {
            "provider_name": sociallogin.account.get_provider(request).name,
            "email": identity.given_email(sociallogin),
            "unverified": unverified,
        }
        return render(request, "partners/identity_no_access.html", context, status=403)
