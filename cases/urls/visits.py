"""In the namespace "cases" (cases.urls)."""

from django.urls import path

from cases.views import visits as views

urlpatterns = [
    path("huishoudens/<int:pk>/huisbezoek/", views.visit_create, name="visit_create"),
    path("huishoudens/<int:pk>/huisbezoek/versturen/", views.visit_sync, name="visit_sync"),
]
