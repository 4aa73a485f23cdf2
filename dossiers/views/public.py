"""Public status lookup (no login): by code plus a second factor, or by QR link.

A wrong code, a wrong second factor and an unknown or unfindable dossier all
get the same page, the same status and the same single query. Attempts are
counted per IP address in the cache; past the allowance the answer is 429.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from ..forms_public import LookupForm
from ..selectors_public import (
    LOOKUP_WINDOW_SECONDS,
    lookup_attempt_register,
    public_status_by_code,
    public_status_by_token,
)

LOOKUP_TEMPLATE = "dossiers/public/lookup.html"


def client_ip(request: HttpRequest) -> str:
    """The address the attempt is counted against (the reverse proxy sets it)."""
    return request.META.get("REMOTE_ADDR", "") or ""


def _throttled(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "dossiers/public/throttled.html",
        {"minutes": LOOKUP_WINDOW_SECONDS // 60},
        status=429,
    )
    response["Retry-After"] = str(LOOKUP_WINDOW_SECONDS)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, LOOKUP_TEMPLATE, {"form": LookupForm()})
    if not lookup_attempt_register(client_ip(request)):
        return _throttled(request)
    form = LookupForm(request.POST)
    if not form.is_valid():
        return render(request, LOOKUP_TEMPLATE, {"form": form})
    result = public_status_by_code(form.cleaned_data["code"], form.cleaned_data["last4"])
    if result is None:
        # Never echo what was typed: the page must not differ between guesses.
        context = {
            "form": LookupForm(),
            "not_found": _(
                "Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 chữ số cuối đã nhập. "
                "Vui lòng kiểm tra lại Giấy tiếp nhận hồ sơ và nhập lại."
            ),
        }
        return render(request, LOOKUP_TEMPLATE, context)
    return render(request, LOOKUP_TEMPLATE, {"form": LookupForm(), "result": result})


@never_cache
@require_safe
def lookup_token(request: HttpRequest, token: str) -> HttpResponse:
    if not lookup_attempt_register(client_ip(request)):
        return _throttled(request)
    result = public_status_by_token(token[:64])
    if result is None:
        return render(request, "dossiers/public/not_found.html", status=404)
    return render(request, LOOKUP_TEMPLATE, {"result": result, "from_token": True})
