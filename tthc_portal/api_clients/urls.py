"""/ket-noi/: the OAuth2 token endpoints for integrations and the administrator pages."""

from __future__ import annotations

from django.urls import path
from oauth2_provider import views as oauth2_views

from . import views

app_name = "api_clients"
urlpatterns = [
    # Client credentials only (the validator refuses every other grant).
    path("o/token/", oauth2_views.TokenView.as_view(), name="token"),
    path("o/revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("quan-tri/", views.client_list, name="list"),
    path("quan-tri/tao-moi/", views.client_create, name="create"),
    path("quan-tri/<int:pk>/thu-hoi/", views.client_revoke, name="revoke"),
    path("quan-tri/<int:pk>/doi-khoa-bi-mat/", views.client_secret_rotate, name="rotate"),
]
