"""A system's event subscriptions and their delivery log (namespace "events", ADR 0029),
mounted by partners.urls at beheer/koppelingen/<client>/abonnementen/."""

from django.urls import path

from partners.views import events as views

app_name = "events"

urlpatterns = [
    path("nieuw/", views.subscription_create, name="create"),
    path("<int:pk>/", views.subscription_detail, name="detail"),
    path("<int:pk>/pauzeren/", views.subscription_pause, name="pause"),
    path("<int:pk>/hervatten/", views.subscription_resume, name="resume"),
    path("<int:pk>/afleveringen/<int:delivery_pk>/opnieuw/", views.delivery_resend, name="resend"),
]
