"""The project's URLconf with the signing URLs mounted where the lead mounts
them (``chung-thu/``), for tests that run before that include is merged."""

from django.urls import include, path

from tthc_portal.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("chung-thu/", include("tthc_portal.signing.urls")),
    *project_urlpatterns,
]
