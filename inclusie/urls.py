from django.urls import include, path

from inclusie import views

urlpatterns = [
    path("", views.start, name="start"),
    path("gezond/", views.health, name="health"),
    path("account/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("partners.urls")),
]
