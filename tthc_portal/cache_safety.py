"""What the portal does while the shared cache (Redis) cannot be reached.

Two kinds of cache use, two behaviours:

- **Memos** (the calendar generation, per-target configuration, tokens): a
  miss is always safe, the caller reads the database. ``ResilientRedisCache``
  turns an unreachable Redis into misses and dropped writes, so code that only
  memoises never raises.
- **Counters that protect something** (lookup allowances, API throttles,
  kiosk attempts): a miss would mean "no attempts yet", i.e. fail open. They go
  through :func:`strict_cache` / :func:`counter_hit`, which raise
  :class:`CacheUnavailable`, and the caller answers 429/503 (fail closed).

After a failure the backend stops asking Redis for ``OUTAGE_COOLDOWN`` seconds,
so a page does not pay a connection timeout on every cache call.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import BaseCache, caches
from django.core.cache.backends.redis import RedisCache

try:  # redis-py is installed wherever REDIS_URL can be set
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - the file cache alone

    class RedisError(Exception):  # type: ignore[no-redef]
        pass


logger = logging.getLogger(__name__)

# OSError: the file cache (make run) on a full or read-only disk.
CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)
DEFAULT_COOLDOWN = 5.0
# Retry-After given to callers refused because the counters cannot be read.
OUTAGE_RETRY_SECONDS = 60


class CacheUnavailable(Exception):
    """The shared cache cannot be reached; a protecting counter must fail closed."""


def redis_caches(url: str, *, timeout: float = 1.0, cooldown: float = DEFAULT_COOLDOWN) -> dict:
    """The ``CACHES`` setting for a Redis URL (settings/base.py and the fault test).

    Short socket timeouts: an unreachable host (no refusal) must cost a page at
    most about a second before the cool-down takes over.
    """
    return {
        "default": {
            "BACKEND": "tthc_portal.cache_safety.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
                "OUTAGE_COOLDOWN": cooldown,
            },
        }
    }


class _Strict:
    """The raising operations of a ``ResilientRedisCache`` (what RedisCache does)."""

    def __init__(self, backend: ResilientRedisCache) -> None:
        self._backend = backend

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        backend = self._backend
        if backend._cooling_down():
            raise CacheUnavailable(backend._location)
        try:
            return getattr(RedisCache, name)(backend, *args, **kwargs)
        except CACHE_ERRORS as exc:
            backend._failed(exc)
            raise CacheUnavailable(backend._location) from exc

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._call("get", key, default, version)

    def set(self, key: str, value: Any, timeout: Any = 300, version: int | None = None) -> None:
        self._call("set", key, value, timeout, version)

    def add(self, key: str, value: Any, timeout: Any = 300, version: int | None = None) -> bool:
        return self._call("add", key, value, timeout, version)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return self._call("incr", key, delta, version)

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._call("delete", key, version)


class ResilientRedisCache(RedisCache):
    """Django's Redis cache where an unreachable server is a miss, not an error.

    ``incr``/``decr`` still raise (as :class:`CacheUnavailable`): a counter has
    no safe "miss". ``.strict`` gives the raising versions of the other calls.
    """

    # Per process, shared by the per-thread backend instances: location → until.
    _down_until: dict[str, float] = {}
    _last_logged: dict[str, float] = {}

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self._cooldown = float(options.pop("OUTAGE_COOLDOWN", DEFAULT_COOLDOWN))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)

    @property
    def strict(self) -> _Strict:
        return _Strict(self)

    def _cooling_down(self) -> bool:
        return self._down_until.get(self._location, 0.0) > time.monotonic()

    def _failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        self._down_until[self._location] = now + self._cooldown
        # One line a minute per process is enough to page someone; not one per call.
        if self._last_logged.get(self._location, 0.0) + 60 < now:
            self._last_logged[self._location] = now
            logger.error("Cache %s unreachable, serving without it: %s", self._location, exc)

    def _soft(self, name: str, fallback: Any, *args: Any, **kwargs: Any) -> Any:
        if self._cooling_down():
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except CACHE_ERRORS as exc:
            self._failed(exc)
            return fallback

    def get(self, key, default=None, version=None):
        return self._soft("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._soft("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._soft("has_key", False, key, version)

    def set(self, key, value, timeout=300, version=None):
        return self._soft("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=300, version=None):
        return self._soft("set_many", list(data), data, timeout, version)

    def add(self, key, value, timeout=300, version=None):
        return self._soft("add", False, key, value, timeout, version)

    def touch(self, key, timeout=300, version=None):
        return self._soft("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._soft("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._soft("delete_many", None, keys, version)

    def clear(self):
        return self._soft("clear", False)

    def incr(self, key, delta=1, version=None):
        return self.strict.incr(key, delta, version)

    def decr(self, key, delta=1, version=None):
        return self.strict.incr(key, -delta, version)


def strict_cache(backend: BaseCache | None = None) -> Any:
    """A cache whose calls raise :class:`CacheUnavailable` (or a cache error)
    instead of pretending to miss: what counters must read and write."""
    backend = backend if backend is not None else caches["default"]
    return getattr(backend, "strict", backend)


def counter_hit(key: str, window_seconds: int, *, backend: BaseCache | None = None) -> int:
    """Count one event under ``key`` in a fixed window started by the first
    event (atomic ``add`` + ``incr``); returns the count including this one.

    Raises :class:`CacheUnavailable` when the count cannot be kept.
    """
    cache = strict_cache(backend)
    try:
        cache.add(key, 0, window_seconds)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window_seconds)
            return 1
    except CACHE_ERRORS as exc:
        raise CacheUnavailable(key) from exc


def counter_peek(key: str, *, backend: BaseCache | None = None) -> int:
    """The current count under ``key`` (0 when absent); raises CacheUnavailable."""
    try:
        return int(strict_cache(backend).get(key) or 0)
    except CACHE_ERRORS as exc:
        raise CacheUnavailable(key) from exc
