"""In the namespace "cases" (cases.urls): requests for informal help and their matches
(ADR 0033)."""

from django.urls import path

from cases.views import help_requests as views

urlpatterns = [
    path(
        "huishoudens/<int:household_pk>/hulpvraag/",
        views.help_request_create,
        name="help_request_create",
    ),
    path("hulpvragen/<int:pk>/", views.help_request_detail, name="help_request_detail"),
    path("hulpvragen/<int:pk>/sluiten/", views.help_request_close, name="help_request_close"),
    path("hulpvragen/<int:pk>/voorstellen/", views.help_match_propose, name="help_match_propose"),
    path(
        "koppelingen/<int:pk>/instemming/",
        views.help_match_household_agrees,
        name="help_match_household_agrees",
    ),
    path("koppelingen/<int:pk>/beeindigen/", views.help_match_end, name="help_match_end"),
]
