"""In the namespace "referrals" (cases.urls): agreements are what referrals rest on."""

from django.urls import path

from cases.views import agreements as views

urlpatterns = [
    path("beheer/afspraken/", views.agreement_list, name="agreements"),
    path("beheer/afspraken/nieuw/", views.agreement_edit, name="agreement_create"),
    path("beheer/afspraken/<int:pk>/", views.agreement_edit, name="agreement_edit"),
]
