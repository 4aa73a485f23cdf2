"""Catalogue URLs: the public catalogue and the staff publication workspace."""

from django.urls import include, path

app_name = "procedures"

urlpatterns = [
    path("", include("procedures.urls_public")),
    path("cong-bo/", include("procedures.urls_staff")),
]
