"""The API under /api/v1/ (namespace "api"): the OpenAPI document at its standard place, the
resources of each subject, and a problem for every other address."""

from django.urls import include, path, re_path

from inclusie.api import views

app_name = "api"

urlpatterns = [
    path("openapi.json", views.OpenApiJson.as_view(), name="openapi-json"),
    path("openapi.yaml", views.OpenApiYaml.as_view(), name="openapi-yaml"),
    path("", include("cases.api.urls")),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not_found"),
]
