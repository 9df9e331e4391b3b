"""A test-only URLconf: the project's URLs and one view that fails, for the 500 page's tests."""

from django.urls import path

from inclusie import urls as project


def broken(request):
    raise RuntimeError("A view that fails, for the test of the 500 page.")


urlpatterns = [path("kapot/", broken), *project.urlpatterns]
handler500 = project.handler500
