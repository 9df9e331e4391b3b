"""The managers' dashboard and its exports."""

from django.urls import path

from cases.views import dashboards as views

app_name = "dashboards"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:key>.<slug:file_format>", views.dashboard_export, name="export"),
]
