"""Every page of partners, mounted by inclusie/urls.py at the root; one module per subject."""

from django.urls import include, path

urlpatterns = [
    path("", include("partners.urls.memberships")),
    path("meldingen/", include("partners.urls.notifications")),
    path("sessie/", include("partners.urls.sessions")),
    path("beheer/koppelingen/", include("partners.urls.clients")),
    path("beheer/koppelingen/<int:client_pk>/abonnementen/", include("partners.urls.events")),
]
