"""Choosing the organisation to act for, members and invitations (namespace "partners")."""

from django.urls import path

from partners.views import memberships as views

app_name = "partners"

urlpatterns = [
    path("organisatie/kiezen/", views.actor_choose, name="actor_choose"),
    path("geen-lidmaatschap/", views.no_membership, name="no_membership"),
    path("organisatie/leden/", views.member_list, name="member_list"),
    path("organisatie/leden/uitnodigen/", views.member_invite, name="member_invite"),
    path("organisatie/leden/<int:pk>/", views.member_edit, name="member_edit"),
    path("organisatie/leden/<int:pk>/beeindigen/", views.member_end, name="member_end"),
    path(
        "organisatie/uitnodigingen/<int:pk>/intrekken/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
