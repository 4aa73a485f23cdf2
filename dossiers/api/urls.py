from django.urls import path  # noqa: F401

app_name = "dossiers_api"

urlpatterns: list = []
