"""Fault tests: the shared cache or the broker cannot be reached."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from tthc_portal.cache_safety import ResilientRedisCache, redis_caches
from tthc_portal.workdays import services as workdays

# Nothing listens on port 1: every call is refused at once (no server needed).
UNREACHABLE = "redis://127.0.0.1:1/0"
# What settings/base.py configured before issue 18 (Django's plain Redis cache).
PLAIN_REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": UNREACHABLE,
    }
}


@pytest.fixture
def cache_down(settings):
    """The default cache points at a Redis that refuses every connection."""
    settings.CACHES = PLAIN_REDIS_DOWN
    ResilientRedisCache._down_until.clear()
    workdays.calendar_forget_local()
    yield caches["default"]
    workdays.calendar_forget_local()


@pytest.fixture
def resilient_cache_down(settings):
    """The proposed production cache (``redis_caches``) on a refusing Redis."""
    settings.CACHES = redis_caches(UNREACHABLE, timeout=0.5, cooldown=0)
    ResilientRedisCache._down_until.clear()
    workdays.calendar_forget_local()
    yield caches["default"]
    workdays.calendar_forget_local()
