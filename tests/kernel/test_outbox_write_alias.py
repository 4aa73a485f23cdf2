"""Messages queued inside a report's block (reads routed to the replica) are
still written to the primary: the outbox insert takes the write alias."""

from __future__ import annotations

import pytest
from django.db import DEFAULT_DB_ALIAS

from tthc_portal import db_router
from tthc_portal.notifications.models import Channel, OutboxMessage
from tthc_portal.notifications.services import notification_enqueue, notifications_enqueue

pytestmark = pytest.mark.django_db


def test_queued_on_the_primary_while_reads_go_elsewhere(django_capture_on_commit_callbacks):
    token = db_router._reads_alias.set("replica")  # what reporting_reads sets
    try:
        with django_capture_on_commit_callbacks():
            one = notification_enqueue(channel=Channel.SMS, recipient="0912345678", body="a")
            batch = notifications_enqueue([
                {"channel": Channel.SMS, "recipient": "0912345679", "body": "b"},
                {"channel": Channel.EMAIL, "recipient": "a@example.vn", "body": "c"},
            ])  # fmt: skip
    finally:
        db_router._reads_alias.reset(token)
    assert [m._state.db for m in (one, *batch)] == [DEFAULT_DB_ALIAS] * 3
    assert OutboxMessage.objects.using(DEFAULT_DB_ALIAS).count() == 3
