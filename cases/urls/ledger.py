"""The ledger, a shared worker's hours, and the administrators' costs and hour splits."""

from django.urls import path

from cases.views import ledger as views

app_name = "ledger"

urlpatterns = [
    path("kosten-en-baten/", views.ledger, name="ledger"),
    path("kosten-en-baten/afdrukken/", views.ledger_print, name="print"),
    path("mijn-uren/", views.hours_entry, name="hours"),
    path("beheer/kosten/", views.costs, name="costs"),
    path("beheer/kosten/uurtarief/", views.hourly_rate_edit, name="rate"),
    path("beheer/kosten/schattingen/nieuw/", views.estimate_edit, name="estimate_create"),
    path("beheer/kosten/schattingen/<int:pk>/", views.estimate_edit, name="estimate_edit"),
    path("beheer/urenverdeling/", views.split_list, name="splits"),
    path("beheer/urenverdeling/<int:user_pk>/", views.split_edit, name="split_edit"),
]
