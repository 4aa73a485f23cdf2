"""Job metrics: how long each background job took, when it last succeeded,
and how many messages wait in each queue.

Jobs run in worker processes that Prometheus does not scrape, so each job's
figures are written to the shared cache (Redis in production) when it ends,
and the web process's ``/metrics`` reads them back. That covers every sweep
(deadline, render, publication), the 766 recompute, document signing and the
national sync without instrumenting each one: the job's name is the label.

Queue lengths are read from the broker at scrape time, one passive declare
per job queue of ``tthc_portal/celery.py``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.cache import cache
from prometheus_client.core import GaugeMetricFamily

_KEY = "job-metrics:{name}"
_started: dict[str, float] = {}
# How long a job's last figures are kept: a job that stopped running must
# show its old success time, not vanish, so a week.
_KEEP_SECONDS = 7 * 24 * 3600


def job_started(task_id: str) -> None:
    _started[task_id] = time.monotonic()


def job_finished(task_id: str, name: str, *, ok: bool) -> None:
    started = _started.pop(task_id, None)
    if started is None:
        return
    seconds = time.monotonic() - started
    key = _KEY.format(name=name)
    try:
        previous = cache.get(key) or {}
        record = {
            "seconds": seconds,
            "finished": time.time(),
            "succeeded": time.time() if ok else previous.get("succeeded"),
            "runs": previous.get("runs", 0) + 1,
            "failures": previous.get("failures", 0) + (0 if ok else 1),
        }
        cache.set(key, record, _KEEP_SECONDS)
    except Exception:  # a metrics write must never fail a job
        return


def _task_names() -> list[str]:
    from celery import current_app

    return sorted(name for name in current_app.tasks if not name.startswith("celery."))


def job_families() -> Iterable[GaugeMetricFamily]:
    names = _task_names()
    records = cache.get_many([_KEY.format(name=name) for name in names])
    duration = GaugeMetricFamily(
        "tthc_job_last_duration_seconds", "Duration of the job's last run", labels=["job"]
    )
    succeeded = GaugeMetricFamily(
        "tthc_job_last_success_timestamp_seconds",
        "When the job last finished without an error (Unix time)",
        labels=["job"],
    )
    runs = GaugeMetricFamily("tthc_job_runs", "Runs recorded (kept a week)", labels=["job"])
    failures = GaugeMetricFamily(
        "tthc_job_failures", "Failed runs recorded (kept a week)", labels=["job"]
    )
    for name in names:
        record = records.get(_KEY.format(name=name))
        if not record:
            continue
        duration.add_metric([name], record["seconds"])
        if record.get("succeeded"):
            succeeded.add_metric([name], record["succeeded"])
        runs.add_metric([name], record["runs"])
        failures.add_metric([name], record["failures"])
    return [duration, succeeded, runs, failures]


def queue_families() -> Iterable[GaugeMetricFamily]:
    from celery import current_app

    length = GaugeMetricFamily(
        "tthc_queue_length", "Messages waiting in the job queue", labels=["queue"]
    )
    from tthc_portal.celery import QUEUES

    with current_app.connection_for_read() as connection:
        channel = connection.default_channel
        for queue in QUEUES:  # every queue a worker consumes, declared or not yet
            try:
                waiting = channel.queue_declare(queue=queue, passive=True).message_count
            except Exception:  # a queue nobody declared yet holds nothing
                waiting = 0
            length.add_metric([queue], waiting)
    return [length]
