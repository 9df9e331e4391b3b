"""The resources of cases under /api/v1/ (mounted by inclusie.api.urls, namespace "api"):
Dutch plural nouns, no trailing slash, operations as `_verb` sub-resources (ADR 0025)."""

from django.urls import path

from cases.api import households, imports, referrals, signals

urlpatterns = [
    path("huishoudens", households.HouseholdPage.as_view(), name="households"),
    path("huishoudens/_zoek", households.HouseholdSearch.as_view(), name="household_search"),
    path("huishoudens/<int:pk>", households.HouseholdOne.as_view(), name="household"),
    path(
        "huurovereenkomsten/_importeren",
        imports.TenancyBatch.as_view(),
        name="tenancy_batch",
    ),
    path("imports/<int:pk>", imports.ImportOne.as_view(), name="import"),
    path("signaleringen", signals.SignalExportPage.as_view(), name="signaleringen"),
    path("verwijzingen", referrals.ReferralPage.as_view(), name="referrals"),
    path("verwijzingen/<int:pk>", referrals.ReferralOne.as_view(), name="referral"),
    path(
        "verwijzingen/<int:pk>/_accepteren",
        referrals.ReferralAccept.as_view(),
        name="referral_accept",
    ),
    path(
        "verwijzingen/<int:pk>/_weigeren",
        referrals.ReferralDecline.as_view(),
        name="referral_decline",
    ),
    path(
        "verwijzingen/<int:pk>/_afronden",
        referrals.ReferralComplete.as_view(),
        name="referral_complete",
    ),
]
