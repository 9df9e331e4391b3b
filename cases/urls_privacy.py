from django.urls import path

from cases import views_privacy as views

app_name = "privacy"

urlpatterns = [
    path("privacy/toegangslog/", views.access_log, name="access_log"),
    path("privacy/meldingen/", views.report_list, name="report_list"),
    path("privacy/meldingen/<int:pk>/", views.report_detail, name="report_detail"),
    path("privacy/noodtoegang/", views.emergency_list, name="emergency_list"),
    path("privacy/avg/", views.avg_find, name="avg_find"),
    path("privacy/avg/<int:pk>/", views.avg_overview, name="avg_overview"),
    path("privacy/avg/<int:pk>/document/", views.avg_document, name="avg_document"),
    path("privacy/avg/<int:pk>/export.json", views.avg_export, name="avg_export"),
    path("privacy/avg/<int:pk>/corrigeren/", views.rectify, name="rectify"),
    path("privacy/avg/<int:pk>/wissen/", views.erase, name="erase"),
    path("privacy/bewaartermijnen/", views.retention, name="retention"),
    path("beheer/bewaartermijnen/", views.retention_terms, name="retention_terms"),
    path("noodtoegang/", views.emergency_open, name="emergency_open"),
    path("noodtoegang/<int:pk>/", views.emergency_detail, name="emergency_detail"),
]
