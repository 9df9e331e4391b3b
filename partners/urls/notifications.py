"""A person's notifications (namespace "notifications"), mounted by partners.urls at meldingen/."""

from django.urls import path

from partners.views import notifications as views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("teller/", views.notification_bell, name="bell"),
    path("alles-gelezen/", views.notification_read_all, name="read_all"),
    path("voorkeuren/", views.notification_preferences, name="preferences"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/gelezen/", views.notification_read, name="read"),
]
