"""The office's e-mail alert (issue 12, item 7): sent through the notification
outbox when the unsent backlog or the age of its oldest row passes the
configured threshold, at most once an hour per recipient, never below the
thresholds; and the attempt log's retention job."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from integrations.models import SyncAttempt, SyncEvent
from integrations.reconcile import sync_alert_check, sync_log_purge
from tests.dossiers.processing import at, in_processing
from tests.integrations.sync_helpers import hub_target
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
TOPIC = "integrations.sync_alert"


@pytest.fixture
def queued(users, workflow_procedure, clock):
    """Two dossiers whose rows wait in the outbox (the hub is never reached):
    4 rows each (1, 2, 4 and the header), written at 09:00."""
    hub_target("http://127.0.0.1:9")
    for _ in range(2):
        in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    assert SyncEvent.objects.filter(status="pending").count() == 8
    return clock


def _thresholds(settings, backlog: int = 1000, minutes: float = 60, **extra) -> None:
    settings.TTHC = {**settings.TTHC, "SYNC_ALERT_BACKLOG": backlog,
                     "SYNC_ALERT_OLDEST_MINUTES": minutes, **extra}  # fmt: skip


def test_under_both_thresholds_nothing_is_sent(queued, settings):
    _thresholds(settings, backlog=8, minutes=60)
    report = sync_alert_check(at(2025, 3, 3, 9, 59))
    assert (report.backlog, report.exceeded, report.sent) == (8, False, 0)
    assert not OutboxMessage.objects.filter(topic=TOPIC).exists()


def test_a_large_backlog_mails_the_office_once_an_hour(
    queued, settings, django_capture_on_commit_callbacks
):
    _thresholds(settings, backlog=7)
    with django_capture_on_commit_callbacks(execute=True):
        first = sync_alert_check(at(2025, 3, 3, 9, 5))
    assert first.exceeded and first.sent == 1
    assert [m.to for m in mail.outbox] == [["vanphong@demo.tthc.local"]]  # the provincial office
    assert "8" in mail.outbox[0].subject and "/lien-thong/" in mail.outbox[0].body
    # Every 15 minutes within the hour: the outbox's key refuses a second row.
    for minute in (20, 35, 50):
        assert sync_alert_check(at(2025, 3, 3, 9, minute)).sent == 0
    assert OutboxMessage.objects.filter(topic=TOPIC).count() == 1
    assert sync_alert_check(at(2025, 3, 3, 10, 5)).sent == 1
    assert OutboxMessage.objects.filter(topic=TOPIC).count() == 2


def test_an_old_unsent_event_alerts_the_configured_addresses(queued, settings):
    _thresholds(settings, minutes=60, SYNC_ALERT_EMAILS=["lienthong@tinh.gov.vn", "a@b.vn"])
    assert not sync_alert_check(at(2025, 3, 3, 10, 0)).exceeded  # exactly 60 minutes
    report = sync_alert_check(at(2025, 3, 3, 10, 1))
    assert report.exceeded and report.oldest_minutes == pytest.approx(61)
    recipients = set(OutboxMessage.objects.filter(topic=TOPIC).values_list("recipient", flat=True))
    assert recipients == {"lienthong@tinh.gov.vn", "a@b.vn"}


def test_nothing_queued_nothing_sent(users, settings):
    _thresholds(settings, backlog=0, minutes=0)
    report = sync_alert_check()
    assert (report.backlog, report.oldest_minutes, report.exceeded) == (0, None, False)


def test_the_attempt_log_is_kept_for_the_targets_retention(db):
    target = hub_target("http://127.0.0.1:9", log_retention_days=30)
    now = at(2025, 3, 31, 2, 0)

    def attempt(days_ago: int) -> SyncAttempt:
        return SyncAttempt.objects.create(
            target=target, operation="progress", url="/", reply_class="ok", latency_ms=1,
            at=now - datetime.timedelta(days=days_ago),
        )  # fmt: skip

    old, kept = attempt(31), attempt(29)
    assert sync_log_purge(now) == 1
    assert list(SyncAttempt.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not SyncAttempt.objects.filter(pk=old.pk).exists()
