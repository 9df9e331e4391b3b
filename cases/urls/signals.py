"""In the namespace "cases" (cases.urls)."""

from django.urls import path

from cases.views import signals as views

urlpatterns = [
    path("signalen/", views.signal_list, name="signal_list"),
    path("signalen/<int:pk>/status/", views.signal_status, name="signal_status"),
    path("beheer/signaalcategorieen/", views.category_list, name="category_list"),
    path("beheer/signaalcategorieen/nieuw/", views.category_edit, name="category_create"),
    path("beheer/signaalcategorieen/<int:pk>/", views.category_edit, name="category_edit"),
]
