"""A redis-server started by a test on a free port, and Celery pointed at it."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import redis

from tthc_portal.celery import app

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisProcess:
    """Start, stop and start again on the same port (no persistence)."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir), "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                if client.ping():
                    return
            except redis.RedisError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=0.5)


# The Celery settings proposed for settings/base.py with REDIS_URL (issue 18,
# item 3): nothing reads task results, and without this each .delay() during an
# outage blocked ~19 s reconnecting the result store (20 retries); the publish
# itself gives up after about half a second.
OUTAGE_SAFE_CELERY = {
    "task_ignore_result": True,
    "result_backend_transport_options": {"retry_policy": {"max_retries": 1}},
    "task_publish_retry_policy": {
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    },
}


def _reset_celery_connections() -> None:
    # The app caches its connection pool, producer pool and result backend.
    app._pool = None
    with contextlib.suppress(KeyError, AttributeError):
        app.__dict__["amqp"]._producer_pool = None
    app._backend_cache = None
    with contextlib.suppress(AttributeError):
        del app._local.backend


@contextlib.contextmanager
def celery_on(url: str) -> Iterator[None]:
    """Celery's broker and result backend on ``url``, tasks really sent (not eager)."""
    values = {
        "task_always_eager": False,
        "broker_url": url,
        "result_backend": url,
        "broker_transport_options": {"visibility_timeout": 3600},
        **OUTAGE_SAFE_CELERY,
    }
    saved = {key: app.conf[key] for key in values}
    app.conf.update(values)
    _reset_celery_connections()
    try:
        yield
    finally:
        app.conf.update(saved)
        _reset_celery_connections()
