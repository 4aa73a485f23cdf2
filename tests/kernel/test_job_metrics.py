"""Job durations, last success and queue lengths on ``/metrics`` (issue #17, item 6).

Jobs run in workers that Prometheus does not scrape: each job's figures go to
the shared cache when it ends and the web process reads them back."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from tthc_portal.notifications.tasks import outbox_flush

pytestmark = pytest.mark.django_db
SCRAPER = {"REMOTE_ADDR": "192.0.2.10"}
JOB = "tthc_portal.notifications.tasks.outbox_flush"


def _scrape(client) -> str:
    return client.get("/metrics", **SCRAPER).content.decode()


def test_a_finished_job_reports_its_duration_and_success(client) -> None:
    cache.clear()
    assert f'tthc_job_last_duration_seconds{{job="{JOB}"}}' not in _scrape(client)
    outbox_flush.delay()
    text = _scrape(client)
    duration = re.search(rf'tthc_job_last_duration_seconds{{job="{re.escape(JOB)}"}} (\S+)', text)
    assert duration is not None and 0 <= float(duration.group(1)) < 60
    assert f'tthc_job_last_success_timestamp_seconds{{job="{JOB}"}}' in text
    assert f'tthc_job_runs{{job="{JOB}"}} 1.0' in text
    assert f'tthc_job_failures{{job="{JOB}"}} 0.0' in text


def test_a_failed_job_keeps_its_last_success_and_counts_the_failure(client, monkeypatch) -> None:
    cache.clear()
    outbox_flush.delay()
    pattern = rf'tthc_job_last_success_timestamp_seconds{{job="{re.escape(JOB)}"}} (\S+)'
    succeeded = re.search(pattern, _scrape(client)).group(1)

    def broken(*args, **kwargs):
        raise RuntimeError("the outbox table is locked")

    monkeypatch.setattr("tthc_portal.notifications.services.outbox_due_ids", broken)
    with pytest.raises(RuntimeError):
        outbox_flush.delay()
    text = _scrape(client)
    assert f'tthc_job_failures{{job="{JOB}"}} 1.0' in text
    assert f'tthc_job_runs{{job="{JOB}"}} 2.0' in text
    assert f'tthc_job_last_success_timestamp_seconds{{job="{JOB}"}} {succeeded}' in text


def test_queue_lengths_come_from_the_broker(client) -> None:
    text = _scrape(client)
    for queue in ("default", "documents", "sync"):
        assert re.search(rf'tthc_queue_length\{{queue="{queue}"\}} \d', text), text[-2000:]
