"""``/metrics``: Prometheus text for the allowed scraper only (issue #17, metrics)."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
SCRAPER = {"REMOTE_ADDR": "192.0.2.10"}


def test_the_scraper_reads_requests_and_backlogs(client) -> None:
    client.get("/")  # one request through the middleware
    OutboxMessage.objects.create(channel="sms", recipient="0912345678", body="x")
    text = client.get("/metrics", **SCRAPER).content.decode()
    assert "django_http_requests_total_by_view_transport_method_total" in text
    assert 'tthc_outbox_backlog{channel="sms"} 1.0' in text
    assert "tthc_outbox_oldest_age_seconds" in text
    assert "tthc_sync_backlog" in text


def test_anyone_else_gets_not_found(client) -> None:
    assert client.get("/metrics").status_code == 404  # 127.0.0.1 is not the scraper here
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/metrics", REMOTE_ADDR="198.51.100.7").status_code == 404
