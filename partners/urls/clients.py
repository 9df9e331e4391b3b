"""The organisation's own systems that call the API (namespace "clients", ADR 0024), mounted by
partners.urls at beheer/koppelingen/."""

from django.urls import path

from partners.views import clients as views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("nieuw/", views.client_register, name="register"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/intrekken/", views.client_revoke, name="revoke"),
]
