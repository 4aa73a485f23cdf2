"""A real Celery worker takes outbox jobs from Redis and delivers them.

The test process publishes through the application's own Celery app (eager
mode switched off for the test); a worker subprocess started with the base
settings consumes a private queue, writes to the same test database and
sends e-mail into a temporary directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from celery.result import allow_join_result
from django.core import mail
from django.db import connection

from tthc_portal.celery import app
from tthc_portal.notifications.models import Channel, OutboxMessage, OutboxStatus
from tthc_portal.notifications.services import notification_enqueue

REPO = Path(__file__).resolve().parents[2]
CELERY_BIN = Path(sys.executable).with_name("celery")
SEND_TASK = "tthc_portal.notifications.tasks.outbox_send"
TIMEOUT = 30.0


def _database_url() -> str:
    """The URL of the test database this process is actually using."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    if connection.vendor == "postgresql":
        auth = db["USER"] or "postgres"
        if db.get("PASSWORD"):
            auth += f":{db['PASSWORD']}"
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or "5432"
        return f"postgres://{auth}@{host}:{port}/{db['NAME']}"
    raise AssertionError(f"unsupported test database {connection.vendor}")


class Worker:
    def __init__(
        self, process: subprocess.Popen[bytes], log: Path, queue: str, mail_dir: Path
    ) -> None:
        self.process = process
        self.log = log
        self.queue = queue
        self.mail_dir = mail_dir

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def wait_for(self, condition: Callable[[], Any], what: str) -> Any:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            if self.process.poll() is not None:
                pytest.fail(f"worker exited ({self.process.returncode}):\n{self.output()}")
            time.sleep(0.2)
        pytest.fail(f"timed out waiting for {what}; worker log:\n{self.output()}")


@pytest.fixture
def publish_to_redis(redis_url: str) -> Iterator[str]:
    """Make .delay() publish to a private Redis queue instead of running eagerly."""
    assert str(app.conf.broker_url).startswith(("redis://", "rediss://")), app.conf.broker_url
    queue = f"test-roundtrip-{uuid.uuid4().hex[:10]}"
    saved = {
        "task_always_eager": app.conf.task_always_eager,
        "task_routes": app.conf.task_routes,
    }
    app.conf.task_always_eager = False
    app.conf.task_routes = {"tthc_portal.notifications.tasks.*": {"queue": queue}}
    app.amqp.flush_routes()
    del app.amqp.router  # rebuilt from task_routes on next use
    try:
        yield queue
    finally:
        for key, value in saved.items():
            setattr(app.conf, key, value)
        app.amqp.flush_routes()
        del app.amqp.router
        redis.Redis.from_url(str(app.conf.broker_url)).delete(queue)


@pytest.fixture
def worker(
    transactional_db: None,
    django_db_serialized_rollback: None,  # same flush mode as every transactional test
    redis_url: str,
    publish_to_redis: str,
    tmp_path: Path,
) -> Iterator[Worker]:
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "DJANGO_", "EMAIL_", "DATABASE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tthc_portal.settings.base",
        DATABASE_URL=_database_url(),
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=str(app.conf.broker_url),
        CELERY_RESULT_BACKEND=str(app.conf.result_backend),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(CELERY_BIN),
                "-A",
                "tthc_portal",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                publish_to_redis,
                "-n",
                f"{publish_to_redis}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    worker = Worker(process, log, publish_to_redis, mail_dir)
    try:
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _mail_files(mail_dir: Path) -> list[str]:
    return [p.read_text(errors="replace") for p in sorted(mail_dir.glob("*.log"))]


def test_worker_delivers_outbox_jobs_from_redis(worker: Worker) -> None:
    mail_dir = worker.mail_dir

    # 1. The production path: the row is committed, on_commit publishes
    #    outbox_send to Redis, the worker process delivers it.
    message = notification_enqueue(
        channel=Channel.EMAIL,
        recipient="cong.dan@example.vn",
        subject="Hồ sơ đã có kết quả",
        body="Mời ông/bà đến nhận kết quả hồ sơ H01.",
        dedupe_key=f"roundtrip:{uuid.uuid4().hex}",
    )
    assert message is not None

    worker.wait_for(
        lambda: OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT,
        "the worker to mark the message sent",
    )
    files = worker.wait_for(lambda: _mail_files(mail_dir), "the e-mail file")
    assert len(files) == 1
    assert "To: cong.dan@example.vn" in files[0]
    assert f"<{message.dedupe_key}@tthc-portal>" in files[0]
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert stored.attempts == 1
    assert stored.sent_at is not None

    # 2. An explicit send_task: its result travels back through Redis.
    second = OutboxMessage.objects.create(
        channel=Channel.EMAIL,
        recipient="to.chuc@example.vn",
        subject="Nhắc lịch hẹn",
        body="Lịch hẹn trả kết quả: 08:00 ngày mai.",
    )
    result = app.send_task(SEND_TASK, args=[second.pk], queue=worker.queue)
    # Celery's "inside a task" guard is a process-wide flag that eager tasks run
    # concurrently by earlier threaded tests can leave set; this test is not a task.
    with allow_join_result():
        assert result.get(timeout=TIMEOUT) == "sent"
    assert OutboxMessage.objects.get(pk=second.pk).status == OutboxStatus.SENT

    # 3. A duplicate job for an already delivered row is skipped by the worker.
    again = app.send_task(SEND_TASK, args=[message.pk], queue=worker.queue)
    with allow_join_result():
        assert again.get(timeout=TIMEOUT) == "skipped"
    files = _mail_files(mail_dir)
    assert len(files) == 2
    assert sum("To: cong.dan@example.vn" in text for text in files) == 1
    # Nothing ran eagerly in the test process (its backend is locmem).
    assert mail.outbox == []
