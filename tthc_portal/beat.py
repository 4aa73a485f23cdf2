"""Celery beat that runs once, however many beat processes were started.

Two beats would send every periodic job twice (two nightly 766 runs, two sweeps
at once). Each beat process first takes a lock in Redis (SET NX with a TTL and
a random token, redis-py's Lock) and only then schedules anything; a second
beat started by mistake, on this server or another, waits on the lock. The
holder renews the TTL at every tick, so the lock outlives it by at most one TTL
when it dies (SIGKILL, lost server) and a waiting beat takes over then.

Without Redis (the embedded ``make run``: one worker with ``--beat``, a
filesystem broker) there is nothing to share and no lock is taken.
"""

from __future__ import annotations

import contextlib
import logging
import os
from typing import Any

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)

DEFAULT_LOCK_KEY = "tthc:beat:lock"


def beat_lock_key() -> str:
    """One key per installation (TTHC_BEAT_LOCK_KEY): two portals sharing a
    Redis server each run their own beat."""
    return os.environ.get("TTHC_BEAT_LOCK_KEY", DEFAULT_LOCK_KEY)


def beat_lock_ttl() -> float:
    """Seconds the lock lasts without renewal (TTHC_BEAT_LOCK_TTL, default 60):
    how long a dead beat's jobs may stay unscheduled before another takes over."""
    return float(os.environ.get("TTHC_BEAT_LOCK_TTL", "60"))


def _lock_redis_url(app: Any) -> str:
    from django.conf import settings

    url = getattr(settings, "REDIS_URL", "") or str(app.conf.broker_url or "")
    return url if url.startswith(("redis://", "rediss://", "unix://")) else ""


class LockedScheduler(PersistentScheduler):
    """PersistentScheduler that holds the beat lock while it schedules."""

    def __init__(self, app: Any, *args: Any, **kwargs: Any) -> None:
        self._lock = None
        ttl = beat_lock_ttl()
        url = _lock_redis_url(app)
        key = beat_lock_key()
        if url:
            import redis

            client = redis.Redis.from_url(url)
            # thread_local=False: beat may renew from another thread than the one
            # that acquired (embedded beat runs in a thread of the worker).
            self._lock = client.lock(key, timeout=ttl, sleep=0.2, thread_local=False)
            logger.info("beat: waiting for the beat lock %s (TTL %ss)", key, ttl)
            self._lock.acquire(blocking=True)
            logger.info("beat: lock %s acquired; this beat schedules the jobs", key)
        super().__init__(app, *args, **kwargs)
        if self._lock is not None:
            # Tick (and so renew) well inside the TTL, even when no job is due soon.
            self.max_interval = min(self.max_interval, ttl / 3)

    def tick(self, *args: Any, **kwargs: Any) -> float:
        if self._lock is not None:
            self._lock_renew()
        return super().tick(*args, **kwargs)

    def _lock_renew(self) -> None:
        from redis.exceptions import LockError

        try:
            self._lock.reacquire()
        except LockError:
            # Another beat holds it now (this process was frozen past the TTL):
            # scheduling on would send every job twice. Exit; the supervisor
            # (docker restart policy) starts this beat again, and it waits.
            logger.error("beat: lost the beat lock %s; stopping", self._lock.name)
            self._lock = None  # not ours: close() must not release it
            raise SystemExit(1) from None

    def close(self) -> None:
        super().close()
        if self._lock is not None:
            from redis.exceptions import LockError

            # Expired meanwhile: nothing of ours to release.
            with contextlib.suppress(LockError):
                self._lock.release()
            self._lock = None
