"""Whole-page cache for public pages that change only on publication.

The catalogue, procedure pages and the public 766 report are the same for
every anonymous visitor until a procedure is published (or a version comes
into force) or a 766 period is published. Rendering them costs tens of
queries; serving them from the shared cache (Redis in production, so every
web replica sees one copy) costs one cache read.

Invalidation is by generation, not by key: publication bumps a group's
generation number, so every cached variant of the group (each path, query
string and language) is abandoned at once and expires on its own.

Two things on a public page are per visitor and never cached: the CSRF token
of the language switch (cached with a marker, replaced by this visitor's token
when served) and flash messages (a request with pending messages is not served
from the cache, and a page rendered for it is not stored).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

CATALOGUE = "catalogue"
INDICATORS = "indicators-public"
GROUPS = (CATALOGUE, INDICATORS)

_TOKEN_MARK = "__public_cache_csrf__"  # noqa: S105 (a placeholder, not a secret)
_TOKEN_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _seconds() -> int:
    # A safety net only: publication invalidates at once. 0 switches the cache off
    # (the test settings do, so tests that edit rows directly see their edits).
    return int(settings.TTHC["PUBLIC_CACHE_SECONDS"])


def _generation(group: str) -> int:
    key = f"public-page-generation:{group}"
    value = cache.get(key)
    if value is None:
        cache.add(key, 1, timeout=None)
        value = cache.get(key, 1)
    return int(value)


def public_pages_invalidate(group: str) -> None:
    """Abandon every cached page of ``group`` (call on commit of a publication)."""
    key = f"public-page-generation:{group}"
    try:
        cache.incr(key)
    except ValueError:  # never read yet: nothing cached under it either
        cache.set(key, 2, timeout=None)


def _servable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    if "messages" in request.COOKIES:  # django.contrib.messages' cookie storage
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.session_key and session.get("_messages"))


def _key(group: str, request: HttpRequest) -> str:
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"public-page:{group}:{_generation(group)}:{language}:{digest}"


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and "no-cache" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


def cached_public_page(group: str) -> Callable:
    """Serve the decorated view's anonymous GET pages from the shared cache."""
    if group not in GROUPS:
        raise ValueError(f"unknown public page group {group!r}")

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if _seconds() <= 0 or not _servable(request):
                return view(request, *args, **kwargs)
            key = _key(group, request)
            hit = cache.get(key)
            if hit is not None:
                body, content_type = hit
                response = HttpResponse(
                    body.replace(_TOKEN_MARK, get_token(request)), content_type=content_type
                )
                response["X-Public-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if _storable(response):
                body = _TOKEN_FIELD.sub(rf"\g<1>{_TOKEN_MARK}\g<2>", response.content.decode())
                cache.set(key, (body, response["Content-Type"]), _seconds())
                response["X-Public-Cache"] = "miss"
            return response

        return wrapped

    return decorate
