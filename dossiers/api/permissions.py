"""Who may call which dossier endpoint, and the public lookup's throttle.

Object scoping is never done here: querysets come from the selectors, so an
object outside the user's scope is simply not found (404).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from tthc_portal.agencies.selectors import agencies_for_user

from ..selectors_public import LOOKUP_WINDOW_SECONDS, lookup_attempt_register


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


class LookupAttemptsThrottle(BaseThrottle):
    """The same per-IP allowance as the lookup page (TTHC LOOKUP_ATTEMPTS_PER_10_MIN),
    shared with it and keyed on REMOTE_ADDR (not a client-supplied header)."""

    def allow_request(self, request: Request, view: Any) -> bool:
        return lookup_attempt_register(request.META.get("REMOTE_ADDR", "") or "")

    def wait(self) -> float | None:
        return float(LOOKUP_WINDOW_SECONDS)
