"""Mounted at huishoudens/import/ in inclusie/urls.py."""

from django.urls import path

from cases import views_import

app_name = "imports"

urlpatterns = [
    path("", views_import.import_upload, name="upload"),
    path("<int:pk>/", views_import.import_detail, name="detail"),
    path("<int:pk>/importeren/", views_import.import_confirm, name="confirm"),
]
