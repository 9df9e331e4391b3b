"""In the namespace "links": the pages a personal link opens (ADR 0032), under /link/<token>/.
Nothing else lives under /link/."""

from django.urls import path

from cases.views import helper_link

urlpatterns = [
    path("<str:token>/", helper_link.offer, name="offer"),
    path("<str:token>/<slug:step>/", helper_link.step, name="offer_step"),
]
