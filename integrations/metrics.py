"""Prometheus gauges of the national sync outbox (scraped through /metrics)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Min
from prometheus_client.core import GaugeMetricFamily

from tthc_portal.metrics import age_seconds

from .models import EventStatus, SyncEvent


def sync_backlog() -> Iterable[GaugeMetricFamily]:
    rows = (
        SyncEvent.objects.filter(status__in=[EventStatus.PENDING, EventStatus.SENDING])
        .values("target__code")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
    )
    backlog = GaugeMetricFamily(
        "tthc_sync_backlog", "National sync events not yet acknowledged", labels=["target"]
    )
    oldest = GaugeMetricFamily(
        "tthc_sync_oldest_age_seconds",
        "Age of the oldest unacknowledged sync event",
        labels=["target"],
    )
    for row in rows:
        backlog.add_metric([row["target__code"]], row["n"])
        oldest.add_metric([row["target__code"]], age_seconds(row["oldest"]))
    yield backlog
    yield oldest
