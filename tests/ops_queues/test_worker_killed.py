"""A worker killed mid-job (SIGKILL, no goodbye) loses nothing and duplicates
nothing: the job, acknowledged late, is handed back by Redis to the next worker
of its queue, which finishes it exactly once.

Real servers: PostgreSQL and Redis; real `celery worker` processes consuming
the production queue of the job (the citizen's receipt goes to "documents" by
the routing in tthc_portal/celery.py). The first worker stalls after claiming
the paper (test-only launcher tests/faults/render_worker.py) and is killed as
a whole process group. No reclaim sweep runs here: the new worker gets the
very same message back from Redis once its visibility timeout (3 s in
tests/ops_queues/worker_settings.py, an hour in production) has passed, and
the redelivered job takes its own dead claim over.
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
from tests.conftest import require
from tests.dossiers.render_support import pending_receipt, stored_documents
from tthc_portal.celery import DOCUMENTS_QUEUE, app, queue_for_task

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

REPO = Path(__file__).resolve().parents[2]
RENDER_TASK = "dossiers.tasks.document_render"
TIMEOUT = 40.0


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def _unacked(client: redis.Redis, queue: str) -> list[bytes]:
    return [tag for tag, raw in client.hgetall("unacked").items() if json.loads(raw)[2] == queue]


def _forget_queue(client: redis.Redis, queue: str) -> None:
    """Purge the queue and the unacknowledged copies a killed worker left."""
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)
    for tag in _unacked(client, queue):
        client.hdel("unacked", tag)
        client.zrem("unacked_index", tag)


class Workers:
    def __init__(self, tmp_path: Path, redis_url: str) -> None:
        self.tmp_path = tmp_path
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("CELERY_", "DJANGO_", "DATABASE_", "RENDER_FAULT_"))
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="tests.ops_queues.worker_settings",
            DATABASE_URL=_database_url(),
            REDIS_URL=redis_url,
            PYTHONUNBUFFERED="1",
        )
        self.processes: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, *, slow: bool = False) -> tuple[subprocess.Popen[bytes], Path]:
        env = dict(self.env)
        number = len(self.processes) + 1
        marker = self.tmp_path / f"stalled-{number}.pid"
        if slow:
            env.update(RENDER_FAULT_SLOW_SECONDS="60", RENDER_FAULT_MARKER=str(marker))
        log = self.tmp_path / f"worker-{number}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.faults.render_worker", "-Q", DOCUMENTS_QUEUE,
                 "--pool=solo", "-n", f"killed-{number}-{uuid.uuid4().hex[:6]}@%h",
                 "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO"],
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
        deadline = time.monotonic() + TIMEOUT
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
    # Longer than the test: only Redis's redelivery can bring the job back.
    settings.TTHC = {**settings.TTHC, "RENDER_RECLAIM_SECONDS": 600}
    client = redis.Redis.from_url(str(app.conf.broker_url))
    _forget_queue(client, DOCUMENTS_QUEUE)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # publish to Redis, routed like production
    group = Workers(tmp_path, redis_url)
    try:
        yield group
    finally:
        app.conf.task_always_eager = eager
        group.stop_all()
        _forget_queue(client, DOCUMENTS_QUEUE)


def _status(document: DossierDocument) -> str:
    return DossierDocument.objects.values_list("status", flat=True).get(pk=document.pk)


def test_a_killed_worker_s_job_is_redelivered_and_done_exactly_once(
    workers: Workers, request: pytest.FixtureRequest
) -> None:
    assert queue_for_task(RENDER_TASK) == DOCUMENTS_QUEUE
    client = redis.Redis.from_url(str(app.conf.broker_url))
    first, marker = workers.start(slow=True)
    document = pending_receipt(
        request.getfixturevalue("users"), request.getfixturevalue("online_procedure")
    )
    files_before = stored_documents(document)
    workers.wait_for(marker.exists, "the first worker to claim the paper and stall")
    assert _status(document) == RenderStatus.RENDERING
    assert len(_unacked(client, DOCUMENTS_QUEUE)) == 1  # taken, not acknowledged

    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert _status(document) == RenderStatus.RENDERING  # the dead claim stays
    assert len(_unacked(client, DOCUMENTS_QUEUE)) == 1  # and so does the job

    workers.start()
    workers.wait_for(
        lambda: _status(document) == RenderStatus.READY, "the next worker to finish the job"
    )
    document.refresh_from_db()
    # Two claims (the killed one, the one that finished), one file, one job left.
    assert document.render_attempts == 2
    assert stored_documents(document) - files_before == {document.file.name}
    with document.file.open("rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in " ".join(text.split())
    workers.wait_for(lambda: not _unacked(client, DOCUMENTS_QUEUE), "the job's acknowledgement")
    assert client.llen(DOCUMENTS_QUEUE) == 0

    # Past another visibility timeout nothing comes back and nothing runs again.
    rendered_at = document.rendered_at
    time.sleep(4)
    document.refresh_from_db()
    assert (document.rendered_at, document.render_attempts) == (rendered_at, 2)
    assert stored_documents(document) - files_before == {document.file.name}
