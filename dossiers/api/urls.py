"""Dossier API routes, mounted under /api/ (documented at /api/docs/)."""

from django.urls import path
from rest_framework.parsers import FormParser, MultiPartParser

from tthc_portal.api_errors import api_catch_all

from . import views

app_name = "dossiers_api"

citizen = views.CitizenDossierViewSet
desk = views.DeskDossierViewSet

urlpatterns = [
    # the applicant's own dossiers
    path("dossiers/", citizen.as_view({"get": "list", "post": "create"}), name="dossier-list"),
    path(
        "dossiers/<int:pk>/",
        citizen.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="dossier-detail",
    ),
    path(
        "dossiers/<int:pk>/components/",
        citizen.as_view({"post": "components"}, parser_classes=[MultiPartParser, FormParser]),
        name="dossier-components",
    ),
    path("dossiers/<int:pk>/submit/", citizen.as_view({"post": "submit"}), name="dossier-submit"),
    path(
        "dossiers/<int:pk>/resubmit/",
        citizen.as_view({"post": "resubmit"}),
        name="dossier-resubmit",
    ),
    # the one-stop desk
    path("desk/dossiers/", desk.as_view({"get": "list"}), name="desk-dossier-list"),
    path("desk/dossiers/<int:pk>/", desk.as_view({"get": "retrieve"}), name="desk-dossier-detail"),
    path(
        "desk/dossiers/<int:pk>/receive/",
        desk.as_view({"post": "receive"}),
        name="desk-dossier-receive",
    ),
    path(
        "desk/dossiers/<int:pk>/request-completion/",
        desk.as_view({"post": "request_completion"}),
        name="desk-dossier-request-completion",
    ),
    path(
        "desk/dossiers/<int:pk>/refuse/",
        desk.as_view({"post": "refuse"}),
        name="desk-dossier-refuse",
    ),
    # public status lookup (anonymous, throttled)
    path("lookup/", views.PublicLookupView.as_view(), name="lookup"),
    # Anything else under these prefixes (e.g. a non-integer id): a JSON 404, not HTML.
    api_catch_all("dossiers", "desk", "lookup"),
]
