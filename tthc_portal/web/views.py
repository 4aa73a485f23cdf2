from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.selectors import agencies_for_user, user_roles
from tthc_portal.api_errors import api_not_found
from tthc_portal.cache_safety import (
    CACHE_ERRORS,
    OUTAGE_RETRY_SECONDS,
    CacheUnavailable,
    strict_cache,
)

# (role, heading, lead). The order decides which home a person holding
# several roles lands on.
ROLE_HOMES = (
    (
        Role.ADMINISTRATOR,
        pgettext_lazy("home heading", "Quản trị hệ thống"),
        _("Đơn vị, tài khoản, vai trò, lịch nghỉ lễ và nhật ký kiểm toán."),
    ),
    (
        Role.PROVINCIAL_STAFF,
        _("Kiểm soát thủ tục hành chính"),
        _("Danh mục thủ tục, hạn công bố, lịch làm việc và chỉ số phục vụ (Quyết định 766)."),
    ),
    (
        Role.DEPARTMENT_HEAD,
        _("Điều hành xử lý hồ sơ"),
        _("Phân công, phê duyệt, ký kết quả và phê duyệt công bố thủ tục của đơn vị."),
    ),
    (
        Role.SPECIALIST,
        _("Hồ sơ cần xử lý"),
        _("Các bước xử lý được giao cho bạn, theo thời hạn của từng bước."),
    ),
    (
        Role.DESK_OFFICER,
        _("Tiếp nhận và trả kết quả"),
        _("Kiểm tra, tiếp nhận hồ sơ, yêu cầu bổ sung một lần, số hóa và trả kết quả."),
    ),
)


# require_safe (GET and HEAD) everywhere: uptime probes check pages with HEAD.
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    home = next((entry for entry in ROLE_HOMES if entry[0] in roles), None)
    if home is None:
        return render(request, "web/home_citizen.html")
    role, heading, lead = home
    context = {
        "role": role,
        "role_label": Role(role).label,
        "heading": heading,
        "lead": lead,
        "memberships": request.user.memberships.select_related("agency").order_by("agency__path"),
        "scoped_agency_count": agencies_for_user(request.user).count(),
    }
    return render(request, "web/home_staff.html", context)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers; the cache is reported, not required, since
    every page works without it (lookups and throttled calls refuse with 503)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    cache_state = "ok"
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        try:
            strict_cache().get("healthz")
        except (CacheUnavailable, *CACHE_ERRORS):
            cache_state = "unavailable"
    return JsonResponse(
        {"status": "ok" if cache_state == "ok" else "degraded", "cache": cache_state}
    )


def counters_unavailable(request: HttpRequest, *, title: str, message: str) -> HttpResponse:
    """503 page for a request refused because the counters protecting it cannot
    be read (the shared cache is down): fail closed, in Vietnamese, never 500."""
    response = render(request, "errors/503.html", {"title": title, "message": message}, status=503)
    response["Retry-After"] = str(OUTAGE_RETRY_SECONDS)
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Nothing under ``/api/`` answers HTML: an unknown API address is the JSON
    error envelope, every other address the portal's own 404 page."""
    if request.path.startswith("/api/"):
        return api_not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Hệ thống đang gặp sự cố, vui lòng thử lại sau.")}, status=500
        )
    return defaults.server_error(request)
