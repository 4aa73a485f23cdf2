"""Who may call which dossier endpoint, and the public lookup's throttle.

Object scoping is never done here: querysets come from the selectors, so an
object outside the user's scope is simply not found (404).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from tthc_portal.agencies.selectors import agencies_for_user
from tthc_portal.cache_safety import CacheUnavailable
from tthc_portal.throttles import CountersUnavailable

from ..selectors_public import LOOKUP_WINDOW_SECONDS, lookup_attempt_register, lookup_code_open


class IsApplicantAccount(BasePermission):
    """Citizen and organisation accounts: officers cannot open drafts here."""

    message = _("Chức năng này chỉ dành cho tài khoản công dân, tổ chức.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_applicant", False))


class IsAgencyStaff(BasePermission):
    """Holds ``view_agency_records`` on at least one agency."""

    message = _("Chức năng này chỉ dành cho cán bộ, công chức của đơn vị.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and (
            agencies_for_user(user, "view_agency_records").exists()
        )


class LookupCodeLocked(APIException):
    """429 for a code locked after too many wrong answers. Not a ``Throttled``:
    the view rewrites those into the per-address message."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _(
        "Mã hồ sơ này đã bị tra cứu sai quá nhiều lần. Vui lòng thử lại sau 10 phút "
        "hoặc tra cứu bằng mã QR trên Giấy tiếp nhận hồ sơ."
    )
    default_code = "lookup_code_locked"

    def __init__(self, detail: Any = None) -> None:
        super().__init__(detail)
        self.wait = LOOKUP_WINDOW_SECONDS  # → Retry-After


class LookupAttemptsThrottle(BaseThrottle):
    """The lookup page's allowances for the API (shared with /tra-cuu/): the
    per-address budget of the form (TTHC LOOKUP_ATTEMPTS_PER_10_MIN), keyed on
    REMOTE_ADDR (not a client-supplied header), and the per-code lock after too
    many wrong answers (LOOKUP_CODE_FAILURES_PER_10_MIN). Fails closed: without
    its counters the call gets 503 (``CountersUnavailable``), never a pass."""

    def allow_request(self, request: Request, view: Any) -> bool:
        try:
            if not lookup_attempt_register(request.META.get("REMOTE_ADDR", "") or ""):
                return False
            code = request.data.get("code") if hasattr(request.data, "get") else None
            if isinstance(code, str) and code.strip() and not lookup_code_open(code):
                raise LookupCodeLocked()
        except CacheUnavailable as exc:
            raise CountersUnavailable() from exc
        return True

    def wait(self) -> float | None:
        return float(LOOKUP_WINDOW_SECONDS)
