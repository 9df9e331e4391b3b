from allauth.account import urls as account_urls
from allauth.account import views as account_views
from allauth.socialaccount import views as socialaccount_views
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.urls import include, path

from inclusie import errors, offline, views
from partners.identity import form_action_to_providers, provider_unreachable_explained

# Only the allauth pages Inclusie uses. Left out on purpose: managing e-mail addresses (the login
# address is the one the organisation invited; changing it unverified would let a stolen session
# take over the account), setting a first password, and login by e-mailed code.
ACCOUNT_PAGES = {
    "account_logout",
    "account_inactive",
    "account_signup",  # says that sign-up is closed
    "account_reauthenticate",
    "account_change_password",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
}

urlpatterns = [
    path("", views.start, name="start"),
    path("gezond/", views.health, name="health"),
    # The installable app (ADR 0030): from the root, so the worker's scope is the whole site.
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("gezond/leeft/", views.alive, name="alive"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    # The login page shows a button per identity provider; its form leads there (ADR 0021).
    path("account/login/", form_action_to_providers(account_views.login), name="account_login"),
    path("account/", include([p for p in account_urls.urlpatterns if p.name in ACCOUNT_PAGES])),
    # Sign-in through the organisation's identity provider (OpenID Connect, ADR 0021). No
    # sign-up and no connecting accounts: only logging in, and the pages of a failed attempt.
    path(
        "account/oidc/<str:provider_id>/login/",
        form_action_to_providers(provider_unreachable_explained(oidc_views.login)),
        name="openid_connect_login",
    ),
    path(
        "account/oidc/<str:provider_id>/login/callback/",
        oidc_views.callback,
        name="openid_connect_callback",
    ),
    path(
        "account/extern/geannuleerd/",
        socialaccount_views.login_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path(
        "account/extern/fout/",
        socialaccount_views.login_error,
        name="socialaccount_login_error",
    ),
    path("account/2fa/", include("allauth.mfa.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The REST API for the organisations' own systems (ADR 0025).
    path("api/v1/", include("inclusie.api.urls")),
    path("", include("partners.urls")),
    path("", include("cases.urls")),
]

# The 500 page with a reference that is also in the log line of the error (inclusie/errors.py).
handler500 = errors.server_error
