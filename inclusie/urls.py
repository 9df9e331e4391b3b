from allauth.account import urls as account_urls
from django.urls import include, path

from inclusie import errors, views

# Only the allauth pages Inclusie uses. Left out on purpose: managing e-mail addresses (the login
# address is the one the organisation invited; changing it unverified would let a stolen session
# take over the account), setting a first password, and login by e-mailed code.
ACCOUNT_PAGES = {
    "account_login",
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
    path("gezond/leeft/", views.alive, name="alive"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("account/", include([p for p in account_urls.urlpatterns if p.name in ACCOUNT_PAGES])),
    path("account/2fa/", include("allauth.mfa.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("partners.urls")),
    path("", include("cases.urls")),
]

# The 500 page with a reference that is also in the log line of the error (inclusie/errors.py).
handler500 = errors.server_error
