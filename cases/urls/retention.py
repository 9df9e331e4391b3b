"""In the namespace "privacy" (cases.urls): retention terms, read by the privacy officer and
set by administrators."""

from django.urls import path

from cases.views import retention as views

urlpatterns = [
    path("privacy/bewaartermijnen/", views.retention, name="retention"),
    path("beheer/bewaartermijnen/", views.retention_terms, name="retention_terms"),
]
