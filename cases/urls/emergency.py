"""In the namespace "privacy" (cases.urls): a worker's emergency access."""

from django.urls import path

from cases.views import emergency as views

urlpatterns = [
    path("noodtoegang/", views.emergency_open, name="emergency_open"),
    path("noodtoegang/<int:pk>/", views.emergency_detail, name="emergency_detail"),
]
