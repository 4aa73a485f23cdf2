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

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.db import connection
from pypdf import PdfReader

from dossiers.models import DossierDocument, RenderStatus
from tests.conftest import require
from tests.dossiers.render_support import pending_receipt, stored_documents
from tests.support.workers import Workers, queue_forget, unacked
from tthc_portal.celery import DOCUMENTS_QUEUE, app, queue_for_task

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

RENDER_TASK = "dossiers.tasks.document_render"
TIMEOUT = 40.0


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
    queue_forget(client, DOCUMENTS_QUEUE)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # publish to Redis, routed like production
    group = Workers(
        tmp_path, redis_url, queue=DOCUMENTS_QUEUE, name="killed", timeout=TIMEOUT,
        settings_module="tests.ops_queues.worker_settings",
    )  # fmt: skip
    try:
        yield group
    finally:
        app.conf.task_always_eager = eager
        group.stop_all()
        queue_forget(client, DOCUMENTS_QUEUE)


def _status(document: DossierDocument) -> str:
    return DossierDocument.objects.values_list("status", flat=True).get(pk=document.pk)


def test_a_killed_worker_s_job_is_redelivered_and_done_exactly_once(
    workers: Workers, request: pytest.FixtureRequest
) -> None:
    assert queue_for_task(RENDER_TASK) == DOCUMENTS_QUEUE
    client = redis.Redis.from_url(str(app.conf.broker_url))
    first, marker = workers.start("--pool=solo", slow=True)
    document = pending_receipt(
        request.getfixturevalue("users"), request.getfixturevalue("online_procedure")
    )
    files_before = stored_documents(document)
    workers.wait_for(marker.exists, "the first worker to claim the paper and stall")
    assert _status(document) == RenderStatus.RENDERING
    assert len(unacked(client, DOCUMENTS_QUEUE)) == 1  # taken, not acknowledged

    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert _status(document) == RenderStatus.RENDERING  # the dead claim stays
    assert len(unacked(client, DOCUMENTS_QUEUE)) == 1  # and so does the job

    workers.start("--pool=solo")
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
    workers.wait_for(lambda: not unacked(client, DOCUMENTS_QUEUE), "the job's acknowledgement")
    assert client.llen(DOCUMENTS_QUEUE) == 0

    # Past another visibility timeout nothing comes back and nothing runs again.
    rendered_at = document.rendered_at
    time.sleep(4)
    document.refresh_from_db()
    assert (document.rendered_at, document.render_attempts) == (rendered_at, 2)
    assert stored_documents(document) - files_before == {document.file.name}
