"""Fault: the worker rendering a citizen's receipt is killed (SIGKILL) mid-render.

Real servers: a Celery worker process consuming the "documents" queue on Redis,
writing to the same PostgreSQL test database as this test. A test-only launcher
(tests/faults/render_worker.py) makes the first render sleep after its claim so
it can be killed there. Two ways a worker dies, one after the other:

- the whole worker (an outage): its message stays unacknowledged in Redis, so
  the reclaim sweep (beat; run here by the test with a 3-second window) puts
  the stale claim back in the queue and a new worker renders it;
- only the pool process: Celery rejects the message on worker loss, the job
  comes back with its task id and takes its own claim over at once.

Either way the paper ends ready exactly once (one claim rendered, one file),
with a valid PDF, within the short window.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import connection
from pypdf import PdfReader

from dossiers.models import DossierDocument, RenderStatus
from dossiers.services.documents import documents_requeue_stale
from tests.conftest import require

# Fixtures, requested by issue_receipt (tests/faults has no conftest).
from tests.dossiers.render_support import pending_receipt, stored_documents
from tthc_portal.celery import DOCUMENTS_QUEUE, app

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

REPO = Path(__file__).resolve().parents[2]
WINDOW_SECONDS = 3
TIMEOUT = 30.0


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return (
        f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


def _forget_documents_queue(client: redis.Redis) -> None:
    """Purge the queue and the unacknowledged copies a killed worker left
    (Redis would hand them back after the visibility timeout, to a later run)."""
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(DOCUMENTS_QUEUE)
    for tag, raw in client.hgetall("unacked").items():
        if json.loads(raw)[2] == DOCUMENTS_QUEUE:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


class Workers:
    """Celery workers started as processes (each in its own process group)."""

    def __init__(self, tmp_path: Path, redis_url: str) -> None:
        self.tmp_path = tmp_path
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("CELERY_", "DJANGO_", "DATABASE_", "RENDER_FAULT_"))
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="tthc_portal.settings.test",  # same media folder
            DATABASE_URL=_database_url(),
            REDIS_URL=redis_url,
            PYTHONUNBUFFERED="1",
        )
        self.processes: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, *options: str, slow: bool = False) -> tuple[subprocess.Popen[bytes], Path]:
        """A worker; with ``slow`` its first render stalls after the claim and
        the returned marker file then holds the stalled process's pid."""
        env = dict(self.env)
        number = len(self.processes) + 1
        marker = self.tmp_path / f"slow-render-{number}.pid"
        if slow:
            env.update(RENDER_FAULT_SLOW_SECONDS="60", RENDER_FAULT_MARKER=str(marker))
        log = self.tmp_path / f"worker-{number}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.faults.render_worker", "-Q", DOCUMENTS_QUEUE,
                 "-n", f"render-fault-{number}-{uuid.uuid4().hex[:6]}@%h", "--without-heartbeat",
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

    def wait_for(self, condition: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
        deadline = time.monotonic() + timeout
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


@pytest.fixture
def workers(
    transactional_db: None,
    django_db_serialized_rollback: None,
    redis_url: str,
    tmp_path: Path,
    settings,
) -> Iterator[Workers]:
    require(connection.vendor == "postgresql", "this test needs PostgreSQL: set DATABASE_URL")
    assert str(app.conf.broker_url).startswith("redis"), app.conf.broker_url
    settings.TTHC = {**settings.TTHC, "RENDER_RECLAIM_SECONDS": WINDOW_SECONDS}
    client = redis.Redis.from_url(str(app.conf.broker_url))
    _forget_documents_queue(client)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # publish to Redis like production
    group = Workers(tmp_path, redis_url)
    try:
        yield group
    finally:
        app.conf.task_always_eager = eager
        group.stop_all()
        _forget_documents_queue(client)


@pytest.fixture
def issue_receipt(
    workers: Workers, request: pytest.FixtureRequest
) -> Callable[[], DossierDocument]:
    """The desk receives a dossier: form 01 is issued and its job goes to Redis
    when the reception commits."""
    people = request.getfixturevalue("users")
    procedure = request.getfixturevalue("online_procedure")
    return lambda: pending_receipt(people, procedure)


def _status(document: DossierDocument) -> str:
    return DossierDocument.objects.values_list("status", flat=True).get(pk=document.pk)


def _assert_rendered_once(document: DossierDocument, files_before: set[str]) -> None:
    document.refresh_from_db()
    assert document.status == RenderStatus.READY, document.error
    # Two claims (the killed one and the one that finished), one file written.
    assert document.render_attempts == 2
    assert stored_documents(document) - files_before == {document.file.name}
    with document.file.open("rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in " ".join(text.split())


def test_a_render_killed_mid_way_is_rendered_once_within_the_window(
    workers: Workers, issue_receipt: Callable[[], DossierDocument], settings
) -> None:
    # 1. Only the pool process dies. No sweep can help (the window is longer
    #    than the test): the job is rejected back to the queue on worker loss
    #    and, redelivered with its task id, takes its own claim over.
    settings.TTHC = {**settings.TTHC, "RENDER_RECLAIM_SECONDS": 600}
    worker, marker = workers.start("--pool=prefork", "--concurrency=1", slow=True)
    document = issue_receipt()
    files_before = stored_documents(document)
    pool_process = int(workers.wait_for(lambda: marker.exists() and marker.read_text(), "stall"))
    assert pool_process != worker.pid
    assert _status(document) == RenderStatus.RENDERING
    os.kill(pool_process, signal.SIGKILL)
    workers.wait_for(
        lambda: _status(document) == RenderStatus.READY, "the redelivered job to render it"
    )
    assert worker.poll() is None  # the worker itself lived on
    assert documents_requeue_stale() == 0
    _assert_rendered_once(document, files_before)
    workers.stop_all()

    # 2. The whole worker dies (an outage): its message stays unacknowledged in
    #    Redis for the visibility timeout. The reclaim sweep (beat; played here
    #    by the test, 3-second window) puts the stale claim back in the queue
    #    and the next worker renders it.
    settings.TTHC = {**settings.TTHC, "RENDER_RECLAIM_SECONDS": WINDOW_SECONDS}
    worker, marker = workers.start("--pool=solo", slow=True)
    document = issue_receipt()
    files_before = stored_documents(document)
    workers.wait_for(marker.exists, "the worker to claim the paper and stall")
    assert _status(document) == RenderStatus.RENDERING
    os.killpg(worker.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    worker.wait(timeout=10)
    workers.start("--pool=solo")
    # Within the window the claim is left alone: the worker might be slow.
    assert documents_requeue_stale() == 0

    def sweep_until_ready() -> bool:
        documents_requeue_stale()
        return _status(document) == RenderStatus.READY

    workers.wait_for(sweep_until_ready, "the next worker to render the reclaimed paper")
    assert time.monotonic() - killed_at < WINDOW_SECONDS + 20
    _assert_rendered_once(document, files_before)
    # Later sweeps change nothing.
    rendered_at = document.rendered_at
    assert documents_requeue_stale() == 0
    time.sleep(0.5)
    document.refresh_from_db()
    assert document.rendered_at == rendered_at and document.render_attempts == 2
