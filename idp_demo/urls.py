"""Discovery at the issuer's root (as OIDC requires); DOT's endpoints under /o/."""

from __future__ import annotations

from django.urls import include, path, re_path
from oauth2_provider import views as oauth2_views

from idp_demo import views

# Under DOT's own namespace so its discovery view can reverse() every endpoint.
oauth2_patterns = [
    re_path(
        r"^\.well-known/openid-configuration/?$",
        views.IdpDiscoveryView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(
        ".well-known/oauth-authorization-server",
        oauth2_views.OAuthServerMetadataView.as_view(),
        name="oauth-server-metadata",
    ),
    path("o/authorize/", views.IdpAuthorizationView.as_view(), name="authorize"),
    path("o/token/", oauth2_views.TokenView.as_view(), name="token"),
    path("o/revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("o/userinfo/", oauth2_views.UserInfoView.as_view(), name="user-info"),
    path("o/.well-known/jwks.json", oauth2_views.JwksInfoView.as_view(), name="jwks-info"),
    path("o/logout/", views.IdpLogoutView.as_view(), name="rp-initiated-logout"),
]

idp_patterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.sign_in, name="sign-in"),
    path("healthz", views.healthz, name="healthz"),
    path("__control__/faults", views.control_faults, name="control-faults"),
    path("__control__/rotate-key", views.control_rotate_key, name="control-rotate-key"),
    path("__control__/state", views.control_state, name="control-state"),
]

urlpatterns = [
    path("", include((oauth2_patterns, "oauth2_provider"))),
    path("", include((idp_patterns, "idp_demo"))),
]
