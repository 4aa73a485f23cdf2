"""Delivered messages and read staff notices are deleted after their retention
(issue #17: the work tables do not grow without bound)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tthc_portal.notifications.models import (
    OutboxMessage,
    OutboxStatus,
    StaffNotice,
    StaffNoticeKind,
)
from tthc_portal.notifications.tasks import notifications_purge

pytestmark = pytest.mark.django_db
KIND = StaffNoticeKind.ASSIGNMENT


def _message(status: str, age_days: int) -> OutboxMessage:
    message = OutboxMessage.objects.create(
        channel="sms", recipient="0912345678", body="x", status=status
    )
    created = timezone.now() - timedelta(days=age_days)
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=created)
    return message


def test_only_finished_messages_and_read_notices_past_retention_go(settings) -> None:
    settings.TTHC = {**settings.TTHC, "NOTIFICATION_RETENTION_DAYS": 90}
    old_sent = _message(OutboxStatus.SENT, 91)
    old_dead = _message(OutboxStatus.DEAD, 200)
    old_pending = _message(OutboxStatus.PENDING, 200)  # still to deliver: kept
    old_failed = _message(OutboxStatus.FAILED, 200)  # will be retried: kept
    recent_sent = _message(OutboxStatus.SENT, 89)
    user = UserFactory()
    long_ago = timezone.now() - timedelta(days=120)
    read = StaffNotice.objects.create(user=user, kind=KIND, title="a", url="/", dedupe_key="a")
    unread = StaffNotice.objects.create(user=user, kind=KIND, title="b", url="/", dedupe_key="b")
    StaffNotice.objects.filter(pk__in=[read.pk, unread.pk]).update(created_at=long_ago)
    StaffNotice.objects.filter(pk=read.pk).update(read_at=long_ago)

    assert notifications_purge.delay().get() == {"outbox": 2, "staff_notices": 1}
    kept = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert kept == {old_pending.pk, old_failed.pk, recent_sent.pk}
    assert old_sent.pk not in kept and old_dead.pk not in kept
    assert list(StaffNotice.objects.values_list("pk", flat=True)) == [unread.pk]
