"""In the namespace "privacy" (cases.urls): the privacy officer's access log and reports."""

from django.urls import path

from cases.views import privacy as views

urlpatterns = [
    path("privacy/toegangslog/", views.access_log, name="access_log"),
    path("privacy/meldingen/", views.report_list, name="report_list"),
    path("privacy/meldingen/<int:pk>/", views.report_detail, name="report_detail"),
    path("privacy/noodtoegang/", views.emergency_list, name="emergency_list"),
]
