"""In the namespace "help_given": the follow-up of an agreed match of informal help by a worker
(ADR 0035)."""

from django.urls import path

from cases.views import help_given as views

app_name = "help_given"

urlpatterns = [
    path("hulp/koppelingen/<int:pk>/gegeven/", views.help_given_record_page, name="record"),
]
