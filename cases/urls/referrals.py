"""In the namespace "referrals" (cases.urls), with the agreements."""

from django.urls import path

from cases.views import referrals as views

urlpatterns = [
    path("verwijzingen/", views.referral_inbox, name="inbox"),
    path("verwijzingen/verstuurd/", views.referral_outbox, name="outbox"),
    path("verwijzingen/<int:pk>/", views.referral_detail, name="detail"),
    path("verwijzingen/<int:pk>/doorverwijzen/", views.referral_onward, name="onward"),
    path("verwijzingen/<int:pk>/<str:action>/", views.referral_act, name="act"),
    path("huishoudens/<int:household_pk>/verwijzen/", views.referral_send, name="send"),
]
