from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("huishoudens/", views.household_list, name="household_list"),
    path("huishoudens/<int:pk>/", views.household_detail, name="household_detail"),
    path("huishoudens/<int:pk>/huisbezoek/", views.visit_create, name="visit_create"),
    path("signalen/", views.signal_list, name="signal_list"),
    path("signalen/<int:pk>/status/", views.signal_status, name="signal_status"),
    path("beheer/signaalcategorieen/", views.category_list, name="category_list"),
    path("beheer/signaalcategorieen/nieuw/", views.category_edit, name="category_create"),
    path("beheer/signaalcategorieen/<int:pk>/", views.category_edit, name="category_edit"),
]
