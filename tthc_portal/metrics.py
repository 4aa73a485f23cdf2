"""Prometheus metrics: django-prometheus's request metrics plus the portal's own.

``/metrics`` is served only to the addresses in ``TTHC_METRICS_ALLOWED`` (the
Prometheus server; loopback by default): the figures say how busy each agency's
queues are, which is not for the public. Apps add their own gauges with
``collector_register`` (the national sync backlog lives in ``integrations``).

Several gunicorn workers need ``PROMETHEUS_MULTIPROC_DIR`` set (prometheus_client's
multiprocess mode) so the scrape sums every worker's counters.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from tthc_portal.notifications.models import OutboxMessage

Probe = Callable[[], Iterable[GaugeMetricFamily]]
_registered: set[str] = set()


class _Probe(Collector):
    def __init__(self, probe: Probe) -> None:
        self.probe = probe

    def describe(self) -> Iterable[GaugeMetricFamily]:
        # Registration asks for the metric names: answering from collect() would
        # query the database at start-up (before the app is ready, or in a test).
        return []

    def collect(self) -> Iterable[GaugeMetricFamily]:
        try:
            yield from self.probe()
        except Exception:  # a scrape must not fail because one table is busy
            return


def collector_register(name: str, probe: Probe) -> None:
    """Register a gauge probe once per process (apps call it from ready())."""
    if name in _registered:
        return
    _registered.add(name)
    REGISTRY.register(_Probe(probe))


def age_seconds(oldest: datetime | None) -> float:
    return max((timezone.now() - oldest).total_seconds(), 0.0) if oldest else 0.0


def backlog_families(
    rows: Iterable[dict], *, prefix: str, label: str, what: str, key: str = ""
) -> Iterable[GaugeMetricFamily]:
    """``<prefix>_backlog`` and ``<prefix>_oldest_age_seconds`` from rows of
    ``{key: …, "n": count, "oldest": datetime}`` (one aggregate query; ``key``
    defaults to the label's name)."""
    key = key or label
    backlog = GaugeMetricFamily(f"{prefix}_backlog", f"{what} not yet done", labels=[label])
    oldest = GaugeMetricFamily(
        f"{prefix}_oldest_age_seconds", f"Age of the oldest {what.lower()} not yet done",
        labels=[label],
    )  # fmt: skip
    for row in rows:
        backlog.add_metric([row[key]], row["n"])
        oldest.add_metric([row[key]], age_seconds(row["oldest"]))
    return [backlog, oldest]


def outbox_backlog() -> Iterable[GaugeMetricFamily]:
    rows = (
        OutboxMessage.objects.filter(status__in=["pending", "failed", "sending"])
        .values("channel")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
    )
    return backlog_families(rows, prefix="tthc_outbox", label="channel", what="Notifications")


def _allowed(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    networks = settings.TTHC["METRICS_ALLOWED"].split(",")
    return any(address in ipaddress.ip_network(net.strip()) for net in networks if net.strip())


def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus text format, for the allowed scrapers only (others: 404)."""
    if not _allowed(request):
        raise Http404
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)
