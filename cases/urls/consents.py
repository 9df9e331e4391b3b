"""Mounted by cases.urls at huishoudens/<int:household_pk>/toestemming/."""

from django.urls import path

from cases.views import consents as views

app_name = "consents"
urlpatterns = [
    path("", views.consent_create, name="create"),
    path("<int:pk>/intrekken/", views.consent_withdraw, name="withdraw"),
]
