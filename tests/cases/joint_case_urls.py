"""The project's URLs with the joint-case pages mounted where the lead mounts them, for as long
as inclusie/urls.py does not do so itself (then it is the project's URLs unchanged)."""

from django.urls import include, path

from inclusie.urls import urlpatterns as project

MOUNTED = any(getattr(pattern, "namespace", None) == "joint_cases" for pattern in project)

urlpatterns = list(project) if MOUNTED else [*project, path("", include("cases.urls_joint_cases"))]
