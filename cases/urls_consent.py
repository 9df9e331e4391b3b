"""Mounted by inclusie/urls.py at huishoudens/<int:household_pk>/toestemming/."""

from django.urls import path

from cases import views_consent

app_name = "consents"

urlpatterns = [
    path("", views_consent.consent_create, name="create"),
    path("<int:pk>/intrekken/", views_consent.consent_withdraw, name="withdraw"),
]
