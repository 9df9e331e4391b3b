"""In the namespace "cases" (cases.urls)."""

from django.urls import path

from cases.views import households as views

urlpatterns = [
    path("huishoudens/", views.household_list, name="household_list"),
    path("huishoudens/<int:pk>/", views.household_detail, name="household_detail"),
]
