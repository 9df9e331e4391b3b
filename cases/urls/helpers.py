"""In the namespace "helpers": the workers' pages of the helpers (dragers) of their
organisation (ADR 0032)."""

from django.urls import path

from cases.views import helpers as views

urlpatterns = [
    path("", views.helper_list, name="list"),
    path("nieuw/", views.helper_create, name="create"),
    path("<int:pk>/", views.helper_detail, name="detail"),
    path("<int:pk>/wijzigen/", views.helper_edit, name="edit"),
    path("<int:pk>/link/", views.helper_link_issue, name="link_issue"),
    path("<int:pk>/link/intrekken/", views.helper_link_revoke, name="link_revoke"),
    path("<int:pk>/<slug:step>/", views.helper_step, name="step"),
]
