"""The interface language: the account's choice, else the visitor's, else Vietnamese.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an
officer on a PC set to English, or a 404 seen by a foreign crawler, would get
English pages. Here a signed-in person gets the language saved on their
account; a visitor gets the language they picked with the switcher (cookie);
everyone else gets ``LANGUAGE_CODE`` (Vietnamese), whatever the browser says.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST
from django.views.i18n import set_language


def _supported(code: str | None) -> str | None:
    codes = {code for code, _name in settings.LANGUAGES}
    return code if code in codes else None


def language_for(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        chosen = _supported(getattr(user, "language", None))
        if chosen:
            return chosen
    return _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) or settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """Replaces LocaleMiddleware; sits after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's switcher, and for a signed-in person the choice is kept on the account."""
    response = set_language(request)
    chosen = _supported(request.POST.get("language"))
    user = request.user
    if chosen and user.is_authenticated and user.language != chosen:
        user.language = chosen
        user.save(update_fields=["language"])
    return response
