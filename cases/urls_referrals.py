from django.urls import path

from cases import views_agreements
from cases import views_referrals as views

app_name = "referrals"

urlpatterns = [
    path("verwijzingen/", views.referral_inbox, name="inbox"),
    path("verwijzingen/verstuurd/", views.referral_outbox, name="outbox"),
    path("verwijzingen/<int:pk>/", views.referral_detail, name="detail"),
    path(
        "verwijzingen/<int:pk>/<str:action>/",
        views.referral_act,
        name="act",
    ),
    path("huishoudens/<int:household_pk>/verwijzen/", views.referral_send, name="send"),
    path("beheer/afspraken/", views_agreements.agreement_list, name="agreements"),
    path("beheer/afspraken/nieuw/", views_agreements.agreement_edit, name="agreement_create"),
    path("beheer/afspraken/<int:pk>/", views_agreements.agreement_edit, name="agreement_edit"),
]
