"""Dossier URLs, one module per user group."""

from django.urls import include, path

from .views import search

app_name = "dossiers"

urlpatterns = [
    path("ho-so/", include("dossiers.urls_citizen")),
    path("mot-cua/", include("dossiers.urls_desk")),
    path("giay-to/", include("dossiers.urls_documents")),
    path("", include("dossiers.urls_public")),
    path("tim-ho-so/", search.staff_search, name="staff_search"),
]
