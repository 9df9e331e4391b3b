"""The joint-case pages."""

from django.urls import path

from cases.views import joint_cases as views

app_name = "joint_cases"

urlpatterns = [
    path("casussen/", views.case_list, name="list"),
    path("casussen/acties/", views.action_list, name="actions"),
    path("casussen/<int:pk>/", views.case_detail, name="detail"),
    path("casussen/<int:pk>/deelnemer/", views.case_participant, name="participant"),
    path("casussen/<int:pk>/regisseur/", views.case_coordinator, name="coordinator"),
    path("casussen/<int:pk>/acties/", views.case_action, name="action"),
    path(
        "casussen/<int:pk>/acties/<int:action_pk>/gedaan/",
        views.case_action_done,
        name="action_done",
    ),
    path("casussen/<int:pk>/notities/", views.case_note, name="note"),
    path("casussen/<int:pk>/sluiten/", views.case_close, name="close"),
    path("huishoudens/<int:household_pk>/casus/", views.case_open, name="open"),
]
