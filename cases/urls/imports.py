"""Mounted by cases.urls at huishoudens/import/."""

from django.urls import path

from cases.views import imports as views

app_name = "imports"
urlpatterns = [
    path("", views.import_upload, name="upload"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/importeren/", views.import_confirm, name="confirm"),
]
