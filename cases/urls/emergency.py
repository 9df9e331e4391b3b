"""In the namespace "privacy" (cases.urls): a worker's emergency access, its request past the
limit, and the privacy officer's decision and weekly overview."""

from django.urls import path

from cases.views import emergency as views

urlpatterns = [
    path("noodtoegang/", views.emergency_open, name="emergency_open"),
    path("noodtoegang/<int:pk>/", views.emergency_detail, name="emergency_detail"),
    path("noodtoegang/verzoek/<int:pk>/", views.emergency_request, name="emergency_request"),
    path(
        "privacy/noodtoegang/verzoek/<int:pk>/",
        views.emergency_request_decide,
        name="emergency_request_decide",
    ),
    path(
        "privacy/noodtoegang/verzoek/<int:pk>/goedkeuren/",
        views.emergency_request_approve_view,
        name="emergency_request_approve",
    ),
    path(
        "privacy/noodtoegang/verzoek/<int:pk>/weigeren/",
        views.emergency_request_refuse_view,
        name="emergency_request_refuse",
    ),
    path("privacy/noodtoegang/overzicht/", views.emergency_week, name="emergency_week"),
]
