"""API throttles shared by every API view."""

from __future__ import annotations

from rest_framework.throttling import UserRateThrottle


class AccountRateThrottle(UserRateThrottle):
    """A budget per signed-in account (per address for anonymous callers)."""
