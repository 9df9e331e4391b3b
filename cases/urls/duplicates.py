"""Mounted by cases.urls at huishoudens/dubbel/: possible duplicate households (ADR 0026)."""

from django.urls import path

from cases.views import duplicates as views

app_name = "duplicates"
urlpatterns = [
    path("", views.duplicate_list, name="list"),
    path("<int:pk>/<int:other>/", views.duplicate_decide, name="decide"),
]
