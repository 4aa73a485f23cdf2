"""Public status lookup (no login): by code plus a second factor, or by QR link.

A wrong code, a wrong second factor and an unknown or unfindable dossier all
get the same page, the same status and the same single query. Attempts are
counted in the cache: per address (the form and the QR links on separate
budgets) and wrong answers per code; past an allowance the answer is 429. When
the counters cannot be read (cache down) the lookup refuses with 503: it fails
closed rather than letting guesses through uncounted.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from tthc_portal.cache_safety import CacheUnavailable
from tthc_portal.web.views import counters_unavailable

from ..forms_public import LookupForm
from ..selectors_public import (
    LOOKUP_FORM,
    LOOKUP_QR,
    LOOKUP_WINDOW_SECONDS,
    lookup_attempt_register,
    lookup_code_open,
    public_status_by_code,
    public_status_by_token,
)

LOOKUP_TEMPLATE = "dossiers/public/lookup.html"


def client_ip(request: HttpRequest) -> str:
    """The address the attempt is counted against (the reverse proxy sets it)."""
    return request.META.get("REMOTE_ADDR", "") or ""


def _throttled(request: HttpRequest, *, code_locked: bool = False) -> HttpResponse:
    template = "errors/lookup_code_locked.html" if code_locked else "dossiers/public/throttled.html"
    response = render(request, template, {"minutes": LOOKUP_WINDOW_SECONDS // 60}, status=429)
    response["Retry-After"] = str(LOOKUP_WINDOW_SECONDS)
    return response


def _unavailable(request: HttpRequest) -> HttpResponse:
    return counters_unavailable(
        request,
        title=_("Tra cứu tạm thời gián đoạn"),
        message=_(
            "Hệ thống tra cứu đang gặp sự cố kỹ thuật nên tạm dừng tra cứu để bảo vệ "
            "thông tin hồ sơ. Vui lòng thử lại sau ít phút."
        ),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, LOOKUP_TEMPLATE, {"form": LookupForm()})
    form = LookupForm(request.POST)
    try:
        if not lookup_attempt_register(client_ip(request), channel=LOOKUP_FORM):
            return _throttled(request)
        if form.is_valid() and not lookup_code_open(form.cleaned_data["code"]):
            return _throttled(request, code_locked=True)
    except CacheUnavailable:
        return _unavailable(request)
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
    try:
        if not lookup_attempt_register(client_ip(request), channel=LOOKUP_QR):
            return _throttled(request)
    except CacheUnavailable:
        return _unavailable(request)
    result = public_status_by_token(token[:64])
    if result is None:
        return render(request, "dossiers/public/not_found.html", status=404)
    return render(request, LOOKUP_TEMPLATE, {"result": result, "from_token": True})
