"""Every project task is routed by name to one of the declared queues by kind,
and every queue has a worker (docker-compose.yml) and is consumed by `make run`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tthc_portal.celery import (
    DEFAULT_QUEUE,
    DOCUMENTS_QUEUE,
    INDICATORS_QUEUE,
    LEGACY_QUEUE,
    NOTIFICATIONS_QUEUE,
    QUEUES,
    SWEEPS_QUEUE,
    SYNC_QUEUE,
    app,
    queue_for_task,
)

REPO = Path(__file__).resolve().parents[2]


def _project_tasks() -> list[str]:
    app.loader.import_default_modules()  # autodiscovery, as a worker does
    # Tasks a test module defines for itself ("tests.…") are not the project's.
    names = sorted(name for name in app.tasks if not name.startswith(("celery.", "tests.")))
    assert len(names) >= 25, names  # the discovery really ran
    return names


def _routed_queue(name: str) -> str:
    return app.amqp.router.route({}, name, args=(), kwargs={})["queue"].name


def test_every_project_task_is_classified_and_routed_to_a_declared_queue() -> None:
    unclassified = [name for name in _project_tasks() if queue_for_task(name) is None]
    assert unclassified == [], "add these tasks to TASK_QUEUE_RULES in tthc_portal/celery.py"
    for name in _project_tasks():
        queue = _routed_queue(name)
        assert queue in QUEUES, (name, queue)
        assert queue == queue_for_task(name)


def test_an_unknown_task_falls_to_the_default_queue_not_celerys() -> None:
    assert queue_for_task("elsewhere.tasks.something") is None
    assert _routed_queue("elsewhere.tasks.something") == DEFAULT_QUEUE


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("integrations.tasks.sync_dossier", SYNC_QUEUE),
        ("integrations.tasks.inbound_pull", SYNC_QUEUE),
        ("dossiers.tasks.document_render", DOCUMENTS_QUEUE),
        ("receipts.tasks.receipt_issue", DOCUMENTS_QUEUE),
        ("tthc_portal.notifications.tasks.outbox_send", NOTIFICATIONS_QUEUE),
        ("indicators.tasks.recompute_period_task", INDICATORS_QUEUE),
        ("indicators.tasks.recompute_runs_requeue", SWEEPS_QUEUE),
        ("dossiers.tasks.deadlines_sweep", SWEEPS_QUEUE),
        ("tthc_portal.notifications.tasks.outbox_flush", SWEEPS_QUEUE),
        ("dossiers.tasks.deadlines_recompute_for_days", DEFAULT_QUEUE),
        ("elsewhere.tasks.archive_purge", SWEEPS_QUEUE),
    ],
)
def test_tasks_of_each_kind_go_to_their_queue(task: str, queue: str) -> None:
    assert _routed_queue(task) == queue


def test_an_explicit_queue_in_apply_async_wins_over_the_route() -> None:
    route = app.amqp.router.route({"queue": "private"}, "dossiers.tasks.document_render")
    assert route["queue"].name == "private"


def test_jobs_are_acknowledged_late_one_at_a_time() -> None:
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def _queue_option(command: list[str]) -> set[str]:
    return set(command[command.index("-Q") + 1].split(","))


def test_each_queue_has_its_own_worker_service_with_its_own_concurrency() -> None:
    services = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
    workers = {
        name: service["command"]
        for name, service in services.items()
        if service.get("command", [])[:4] == ["celery", "-A", "tthc_portal", "worker"]
    }
    consumed: dict[str, str] = {}
    for name, command in workers.items():
        queues = _queue_option(command) - {LEGACY_QUEUE}
        assert len(queues) == 1, (name, queues)  # one kind per worker service
        (queue,) = queues
        assert queue not in consumed, f"{queue} consumed by {consumed.get(queue)} and {name}"
        consumed[queue] = name
        assert any(part.startswith("--concurrency=") for part in command), name
    assert set(consumed) == set(QUEUES)
    # Jobs left in the pre-split "celery" queue are drained by the default workers.
    assert LEGACY_QUEUE in _queue_option(workers[consumed[DEFAULT_QUEUE]])


def test_make_run_starts_one_worker_consuming_every_queue() -> None:
    run_dev = (REPO / "scripts" / "run-dev").read_text()
    workers = re.findall(r"celery -A tthc_portal worker[^\n]*", run_dev)
    assert len(workers) == 1, workers
    queues = re.search(r"-Q (\S+)", workers[0])
    assert queues, workers[0]
    assert set(queues.group(1).split(",")) == {*QUEUES, LEGACY_QUEUE}
