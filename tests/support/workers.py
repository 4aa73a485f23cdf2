"""Real Celery worker processes for fault tests (killed, restarted, waited for).

One copy of the process handling that the kill tests share: each worker runs in
its own process group (so SIGKILL takes its pool with it), logs to a file that
is shown when a wait times out, and is killed at teardown whatever happened.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import connection

from tthc_portal.celery import app

REPO = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database as a URL, for a worker process started beside the test."""
    db = connection.settings_dict
    auth = db["USER"] or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def unacked(client: redis.Redis, queue: str) -> list[bytes]:
    """Delivery tags of the queue's messages taken by a worker and not acknowledged."""
    return [tag for tag, raw in client.hgetall("unacked").items() if json.loads(raw)[2] == queue]


def queue_forget(client: redis.Redis, queue: str) -> None:
    """Purge the queue and the unacknowledged copies a killed worker left (Redis
    would hand them back after the visibility timeout, to a later test)."""
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)
    for tag in unacked(client, queue):
        client.hdel("unacked", tag)
        client.zrem("unacked_index", tag)


class Workers:
    """Celery workers started as processes by the test-only render launcher
    (tests/faults/render_worker.py): with ``slow`` the first render stalls after
    its claim and a marker file then holds the stalled process's pid."""

    def __init__(
        self,
        tmp_path: Path,
        redis_url: str,
        *,
        queue: str,
        settings_module: str,
        name: str,
        timeout: float,
    ) -> None:
        self.tmp_path, self.queue, self.name, self.timeout = tmp_path, queue, name, timeout
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("CELERY_", "DJANGO_", "DATABASE_", "RENDER_FAULT_"))
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE=settings_module,
            DATABASE_URL=database_url(),
            REDIS_URL=redis_url,
            PYTHONUNBUFFERED="1",
        )
        self.processes: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, *options: str, slow: bool = False) -> tuple[subprocess.Popen[bytes], Path]:
        env = dict(self.env)
        number = len(self.processes) + 1
        marker = self.tmp_path / f"stalled-{number}.pid"
        if slow:
            env.update(RENDER_FAULT_SLOW_SECONDS="60", RENDER_FAULT_MARKER=str(marker))
        log = self.tmp_path / f"worker-{number}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.faults.render_worker", "-Q", self.queue,
                 "-n", f"{self.name}-{number}-{uuid.uuid4().hex[:6]}@%h", "--without-heartbeat",
                 "--without-gossip", "--without-mingle", "--loglevel=INFO", *options],
                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self.processes.append((process, log))
        return process, marker

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}"
            for _, log in self.processes
        )

    def wait_for(self, condition: Callable[[], Any], what: str) -> Any:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.2)
        pytest.fail(f"timed out waiting for {what}\n{self.logs()}")

    def stop_all(self) -> None:
        for process, _ in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
