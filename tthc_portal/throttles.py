"""API throttles shared by every API view.

Every throttle here fails **closed**: when its counters cannot be read (the
shared cache is down) the call is refused with 503 and a Vietnamese message in
the API's JSON envelope (``{"detail": ...}``, ``Retry-After``), never a 500
and never an unlimited pass.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    UserRateThrottle,
)

from .cache_safety import CACHE_ERRORS, OUTAGE_RETRY_SECONDS, CacheUnavailable, strict_cache


class CountersUnavailable(APIException):
    """503 for an API call whose throttle cannot count it."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _(
        "Hệ thống tạm thời không kiểm soát được lượt truy cập nên tạm dừng phục vụ yêu cầu này. "
        "Vui lòng thử lại sau ít phút."
    )
    default_code = "counters_unavailable"

    def __init__(self, detail: Any = None) -> None:
        super().__init__(detail)
        # DRF's exception handler turns ``wait`` into the Retry-After header.
        self.wait = OUTAGE_RETRY_SECONDS


class FailClosedMixin:
    """Reads and writes the history through the raising cache; refuses on error."""

    @property
    def cache(self) -> Any:  # SimpleRateThrottle reads ``self.cache``
        return strict_cache(caches["default"])

    def allow_request(self, request: Request, view: Any) -> bool:
        try:
            return super().allow_request(request, view)  # type: ignore[misc]
        except (CacheUnavailable, *CACHE_ERRORS) as exc:
            raise CountersUnavailable() from exc


class AccountRateThrottle(FailClosedMixin, UserRateThrottle):
    """A budget per signed-in account (per address for anonymous callers)."""


class FailClosedAnonRateThrottle(FailClosedMixin, AnonRateThrottle):
    """DRF's per-address budget for anonymous callers, failing closed."""


class FailClosedUserRateThrottle(FailClosedMixin, UserRateThrottle):
    """DRF's per-account budget, failing closed."""


class FailClosedScopedRateThrottle(FailClosedMixin, ScopedRateThrottle):
    """DRF's per-scope budget (``throttle_scope``), failing closed."""


__all__ = [
    "AccountRateThrottle",
    "CountersUnavailable",
    "FailClosedAnonRateThrottle",
    "FailClosedScopedRateThrottle",
    "FailClosedUserRateThrottle",
]
