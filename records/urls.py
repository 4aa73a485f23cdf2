"""Records retention and disposal pages."""

from django.urls import path  # noqa: F401

app_name = "records"
urlpatterns: list = []
