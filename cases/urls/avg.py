"""In the namespace "privacy" (cases.urls): the AVG overview, rectification and erasure."""

from django.urls import path

from cases.views import avg as views

urlpatterns = [
    path("privacy/avg/", views.avg_find, name="avg_find"),
    path("privacy/avg/<int:pk>/", views.avg_overview, name="avg_overview"),
    path("privacy/avg/<int:pk>/document/", views.avg_document, name="avg_document"),
    path("privacy/avg/<int:pk>/export.json", views.avg_export, name="avg_export"),
    path("privacy/avg/<int:pk>/corrigeren/", views.rectify, name="rectify"),
    path("privacy/avg/<int:pk>/wissen/", views.erase, name="erase"),
]
