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

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.db import connection
from pypdf import PdfReader

from dossiers.models import DossierDocument, RenderStatus
from dossiers.services.documents import documents_requeue_stale
from tests.conftest import require

# Fixtures, requested by issue_receipt (tests/faults has no conftest).
from tests.dossiers.render_support import pending_receipt, stored_documents
from tests.support.workers import Workers, queue_forget
from tthc_portal.celery import DOCUMENTS_QUEUE, app

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

WINDOW_SECONDS = 3
TIMEOUT = 30.0


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
    queue_forget(client, DOCUMENTS_QUEUE)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # publish to Redis like production
    group = Workers(
        tmp_path, redis_url, queue=DOCUMENTS_QUEUE, name="render-fault", timeout=TIMEOUT,
        settings_module="tthc_portal.settings.test",  # same media folder
    )  # fmt: skip
    try:
        yield group
    finally:
        app.conf.task_always_eager = eager
        group.stop_all()
        queue_forget(client, DOCUMENTS_QUEUE)


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
