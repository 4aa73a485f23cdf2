"""Prometheus gauges of the national sync outbox (scraped through /metrics)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Min
from prometheus_client.core import GaugeMetricFamily

from tthc_portal.metrics import backlog_families

from .models import EventStatus, SyncEvent


def sync_backlog() -> Iterable[GaugeMetricFamily]:
    rows = (
        SyncEvent.objects.filter(status__in=[EventStatus.PENDING, EventStatus.SENDING])
        .values("target__code")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
    )
    return backlog_families(
        rows,
        prefix="tthc_sync",
        label="target",
        what="Sync events",
        key="target__code",
    )
