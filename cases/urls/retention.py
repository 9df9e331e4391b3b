"""In the namespace "privacy" (cases.urls): an organisation's retention terms, set by its
administrators and privacy officers, and the installation's access-log term."""

from django.urls import path

from cases.views import retention as views

urlpatterns = [
    path("privacy/bewaartermijnen/", views.retention, name="retention"),
    path("beheer/bewaartermijnen/", views.retention_terms, name="retention_terms"),
    path("installatie/bewaartermijn-toegangslog/", views.access_log_term, name="access_log_term"),
]
