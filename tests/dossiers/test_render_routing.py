"""Renders go to the "documents" queue, are acknowledged late and re-queued on
worker loss, and every worker command consumes that queue (or `make run` and
docker-compose would never render a receipt)."""

from __future__ import annotations

import re
from pathlib import Path

from dossiers.tasks import document_render
from tthc_portal.celery import app

REPO = Path(__file__).resolve().parents[2]


def test_the_render_task_is_routed_to_documents_and_survives_worker_loss():
    route = app.amqp.router.route({}, document_render.name, args=(1,), kwargs={})
    assert route["queue"].name == "documents"
    assert document_render.acks_late is True
    assert document_render.reject_on_worker_lost is True


def test_the_sweep_runs_well_inside_the_reclaim_window():
    entry = app.conf.beat_schedule["dossiers-requeue-documents"]
    assert entry["task"] == "dossiers.tasks.documents_requeue"
    assert float(entry["schedule"]) <= 60


def test_every_worker_command_consumes_the_documents_queue():
    run_dev = (REPO / "scripts" / "run-dev").read_text()
    worker = re.search(r"celery -A tthc_portal worker[^\n]*", run_dev)
    assert worker and re.search(r"-Q \S*\bdocuments\b", worker.group(0)), worker

    # docker-compose: one worker service per queue; "worker-documents" renders.
    compose = (REPO / "docker-compose.yml").read_text()
    commands = re.findall(r'command: \["celery", "-A", "tthc_portal", "worker"[^\]]*\]', compose)
    assert [c for c in commands if '"-Q", "documents"' in c], commands
