"""Support packages: the payer's inbox, one package, a household's packages."""

from django.urls import path

from cases.views import support as views

app_name = "packages"

urlpatterns = [
    path("ondersteuningspakketten/", views.package_inbox, name="inbox"),
    path("ondersteuningspakketten/<int:pk>/", views.package_detail, name="detail"),
    path("ondersteuningspakketten/<int:pk>/<str:action>/", views.package_act, name="act"),
    path("huishoudens/<int:household_pk>/pakketten/", views.household_packages, name="household"),
]
