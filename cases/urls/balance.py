"""In the namespace "balance": the balance of helpers and requests per complex, with its "what
if" (ADR 0035)."""

from django.urls import path

from cases.views import balance as views

app_name = "balance"

urlpatterns = [
    path("balans/", views.balance, name="balance"),
]
