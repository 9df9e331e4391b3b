"""Every page of cases, mounted by inclusie/urls.py at the root. One module per subject, like
the views; a namespace can span subjects (privacy: the access log, the AVG overview, retention
and emergency access), so the namespaces are put together here."""

from django.urls import include, path

from cases.urls import (
    agreements,
    avg,
    emergency,
    help_requests,
    households,
    privacy,
    referrals,
    retention,
    signals,
    visits,
)

# Namespaces that span subjects.
CASES = (
    households.urlpatterns + visits.urlpatterns + signals.urlpatterns + help_requests.urlpatterns
)
REFERRALS = referrals.urlpatterns + agreements.urlpatterns
PRIVACY = privacy.urlpatterns + avg.urlpatterns + retention.urlpatterns + emergency.urlpatterns

urlpatterns = [
    path("huishoudens/import/", include("cases.urls.imports")),
    path("huishoudens/dubbel/", include("cases.urls.duplicates")),
    path("huishoudens/<int:household_pk>/toestemming/", include("cases.urls.consents")),
    path("", include((CASES, "cases"))),
    path("", include((REFERRALS, "referrals"))),
    path("", include("cases.urls.joint_cases")),
    path("", include((PRIVACY, "privacy"))),
    path("", include("cases.urls.support")),
    path("", include("cases.urls.ledger")),
    path("", include("cases.urls.dashboards")),
    path("dragers/", include(("cases.urls.helpers", "helpers"))),
    path("link/", include(("cases.urls.links", "links"))),
    path("", include("cases.urls.help_given")),
    path("", include("cases.urls.balance")),
]
