"""Staff must pass the second factor before any page.

Runs after django-otp's ``OTPMiddleware``: ``request.user.is_verified()`` reads the
device named in the session (the one query OTPMiddleware makes anyway), so a
verified staff member and every citizen cost nothing more here.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .services import has_confirmed_totp, is_staff_user

API_PREFIX = "/api/"


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exact: frozenset[str] | None = None
        self._prefixes: tuple[str, ...] = ()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._exempt(request.path_info):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or not is_staff_user(user)
            or getattr(user, "is_verified", lambda: False)()
        ):
            return self.get_response(request)
        return self._challenge(request, user)

    def _exempt(self, path: str) -> bool:
        if self._exact is None:
            # Reversed on first use: the URLconf is not loaded when middleware is built.
            names = [
                "accounts:login",
                "accounts:logout",
                "accounts:second_factor_verify",
                "accounts:second_factor_setup",
                "admin:login",
                "admin:logout",
            ]
            exact = set()
            for name in names:
                try:
                    exact.add(reverse(name))
                except NoReverseMatch:
                    continue
            self._prefixes = (settings.STATIC_URL or "/static/", "/i18n/", "/jsi18n/")
            self._exact = frozenset(exact)
        return path in self._exact or path.startswith(self._prefixes)

    def _challenge(self, request: HttpRequest, user) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse(
                {
                    "detail": _(
                        "Vui lòng hoàn tất xác thực hai bước (nhập mã xác thực) trước khi "
                        "sử dụng chức năng này."
                    )
                },
                status=403,
                json_dumps_params={"ensure_ascii": False},
            )
        name = (
            "accounts:second_factor_verify"
            if has_confirmed_totp(user)
            else "accounts:second_factor_setup"
        )
        url = reverse(name)
        # Only a page can be returned to; a form's POST target cannot.
        if request.method in ("GET", "HEAD"):
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return HttpResponseRedirect(url)
