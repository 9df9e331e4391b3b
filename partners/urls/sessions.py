"""The session's clock (namespace "sessions"), mounted by partners.urls at sessie/."""

from django.urls import path

from partners.views import sessions as views

app_name = "sessions"

urlpatterns = [
    path("", views.session_status, name="status"),
]
