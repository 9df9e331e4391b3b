"""In the namespace "links": the pages a personal link opens (ADR 0032), under /link/<token>/.
Nothing else lives under /link/."""

from django.urls import path

from cases.views import helper_link

urlpatterns = [
    path("<str:token>/", helper_link.offer, name="offer"),
    # Before the offer's steps, whose <slug:step> would take "hulpvragen" (ADR 0033).
    path("<str:token>/hulpvragen/", helper_link.proposals, name="proposals"),
    path("<str:token>/hulpvragen/<int:pk>/", helper_link.proposal, name="proposal"),
    # Before the answers, whose <slug:answer> would take "gegeven" (ADR 0035).
    path(
        "<str:token>/hulpvragen/<int:pk>/gegeven/",
        helper_link.proposal_help_given,
        name="proposal_help_given",
    ),
    path(
        "<str:token>/hulpvragen/<int:pk>/<slug:answer>/",
        helper_link.proposal_step,
        name="proposal_step",
    ),
    path("<str:token>/<slug:step>/", helper_link.step, name="offer_step"),
]
