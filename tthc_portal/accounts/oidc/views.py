"""Sign-in through the national single sign-on, and signing out of it.

Every way the provider's answer can be wrong (a forged or expired token,
another audience, a replayed state or nonce, an unknown identifier) ends on
one Vietnamese page with status 400 and no account created or signed in.
"""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from joserfc.errors import JoseError

from ..models import SignInMethod
from ..signins.services import signin_login
from .assurance import sign_in_assurance_store, sign_in_id_token
from .claims import IdentityError, identity_from_claims
from .provider import national_sso_client, national_sso_enabled
from .services import account_link_national

logger = logging.getLogger(__name__)
NEXT_KEY = "national_sign_in_next"
BACKEND = "tthc_portal.accounts.backends.IdentifierBackend"
# What a broken or hostile answer from the provider can raise.
PROVIDER_ERRORS = (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError)


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("dossiers:my_dossiers")


def _failure(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "accounts/oidc/error.html", {"message": message}, status=status)


@never_cache
def national_sso_start(request: HttpRequest) -> HttpResponse:
    if not national_sso_enabled():
        raise Http404
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next"))
    redirect_uri = request.build_absolute_uri(reverse("accounts:national_sso_callback"))
    extra = {}
    if settings.IDENTITY["OIDC_ACR_VALUES"]:
        extra["acr_values"] = settings.IDENTITY["OIDC_ACR_VALUES"]
    try:
        return national_sso_client().authorize_redirect(request, redirect_uri, **extra)
    except PROVIDER_ERRORS:
        logger.exception("national sign-on: provider unreachable or misconfigured")
        return _failure(
            request,
            _(
                "Không kết nối được Cổng đăng nhập quốc gia. Vui lòng thử lại sau ít phút "
                "hoặc liên hệ Bộ phận Một cửa."
            ),
            status=503,
        )


@never_cache
def national_sso_callback(request: HttpRequest) -> HttpResponse:
    if not national_sso_enabled():
        raise Http404
    if request.GET.get("error"):
        # The person cancelled at the provider, or the provider refused.
        logger.info("national sign-on refused: %s", request.GET.get("error"))
        return _failure(request, _("Đăng nhập chưa hoàn tất trên Cổng đăng nhập quốc gia."))
    client = national_sso_client()
    try:
        token = client.authorize_access_token(
            request, leeway=settings.IDENTITY["OIDC_LEEWAY_SECONDS"]
        )
        # Authlib validates the id_token only when there is one: insist on it.
        claims = token.get("userinfo")
        if not token.get("id_token") or claims is None:
            raise ValueError("no id_token in the token response")
        userinfo = client.userinfo(token=token)
        if userinfo.get("sub") != claims.get("sub"):
            raise ValueError("userinfo is about another subject")
        identity = identity_from_claims({**userinfo, **claims})
    except IdentityError as error:
        return _failure(request, str(error))
    except PROVIDER_ERRORS as error:
        logger.warning("national sign-on answer refused: %r", error)
        return _failure(
            request,
            _(
                "Không xác minh được thông tin đăng nhập từ Cổng đăng nhập quốc gia "
                "(phiên đăng nhập đã dùng, hết hạn hoặc không hợp lệ). Vui lòng đăng nhập lại."
            ),
        )
    try:
        user = account_link_national(identity)
    except IdentityError as error:
        return _failure(request, str(error))

    next_url = request.session.pop(NEXT_KEY, None)
    if request.user.is_authenticated:
        # Another person's session on this browser ends first, nothing of it kept.
        logout(request)
    signin_login(request, user, method=SignInMethod.NATIONAL_SSO, backend=BACKEND)
    sign_in_assurance_store(request, identity, token["id_token"])
    return HttpResponseRedirect(_safe_next(request, next_url))


class LogoutView(auth_views.LogoutView):
    """Local sign-out; after a national sign-on also the provider's (RP-initiated)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        id_token = sign_in_id_token(request)
        response = super().post(request, *args, **kwargs)
        if not (id_token and national_sso_enabled()):
            return response
        try:
            client = national_sso_client()
            if not client.load_server_metadata().get("end_session_endpoint"):
                return response
            return client.logout_redirect(
                request,
                post_logout_redirect_uri=request.build_absolute_uri(reverse("web:home")),
                id_token_hint=id_token,
            )
        except PROVIDER_ERRORS:
            # Signed out here; the provider's own session ends with its expiry.
            logger.warning("national sign-on: RP-initiated logout not possible", exc_info=True)
            return response
