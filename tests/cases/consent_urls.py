"""The project's URLs with the consent pages mounted where the lead mounts them, for as long as
inclusie/urls.py does not do so itself (then it is the project's URLs unchanged)."""

from django.urls import include, path

from inclusie.urls import urlpatterns as project

MOUNT = "huishoudens/<int:household_pk>/toestemming/"

if any(str(pattern.pattern) == MOUNT for pattern in project):
    urlpatterns = list(project)
else:
    urlpatterns = [path(MOUNT, include("cases.urls_consent")), *project]
