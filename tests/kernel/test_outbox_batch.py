"""A template's email and SMS are queued in one INSERT; a message already
queued (same business event) is skipped on its own, the other still goes."""

from __future__ import annotations

import pytest
from django.db import transaction

from tthc_portal.notifications.models import Channel, MessageTemplate, OutboxMessage
from tthc_portal.notifications.services import notification_enqueue, notify_from_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def template() -> MessageTemplate:
    MessageTemplate.objects.filter(key="test.batch").delete()
    return MessageTemplate.objects.create(
        key="test.batch", subject="Hồ sơ {{ code }}", email_body="Kính gửi {{ name }}: {{ code }}",
        sms_body="Ho so {{ code }}",
    )  # fmt: skip


def _notify(**kwargs) -> list[OutboxMessage]:
    return notify_from_template(
        "test.batch", {"code": "HS-1", "name": "Nguyễn Văn A"}, email="a@example.vn",
        phone="0912345678", dedupe_key="dossier:1:test", **kwargs,
    )  # fmt: skip


def test_email_and_sms_queued_together_and_sent_after_commit(
    template, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        queued = _notify()
    assert [m.channel for m in queued] == [Channel.EMAIL, Channel.SMS]
    assert all(m.pk for m in queued)
    email = OutboxMessage.objects.get(channel=Channel.EMAIL)
    assert (email.subject, email.body) == ("Hồ sơ HS-1", "Kính gửi Nguyễn Văn A: HS-1")
    assert OutboxMessage.objects.get(channel=Channel.SMS).body == "Ho so HS-1"
    assert len(callbacks) == 1  # one dispatch job for both, after commit


def test_a_message_already_queued_is_skipped_and_the_other_still_goes(
    template, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        notification_enqueue(
            channel=Channel.EMAIL, recipient="a@example.vn", body="earlier",
            dedupe_key="dossier:1:test:email",
        )  # fmt: skip
        queued = _notify()
        again = _notify()
    assert [m.channel for m in queued] == [Channel.SMS]
    assert again == []
    assert OutboxMessage.objects.filter(channel=Channel.EMAIL).get().body == "earlier"
    assert OutboxMessage.objects.count() == 2


def test_each_message_inserted_gets_its_own_row_and_the_skipped_none(
    django_capture_on_commit_callbacks,
):
    """One statement, no savepoint: a key already queued and a key repeated in
    the batch are skipped; messages without a key always go; each returned
    message carries the id of its own row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tthc_portal.notifications.services import notifications_enqueue

    notification_enqueue(channel=Channel.SMS, recipient="0912345678", body="old", dedupe_key="k1")
    batch = [
        {"channel": Channel.SMS, "recipient": "0912345678", "body": body, "dedupe_key": key}
        for body, key in (("a", "k1"), ("b", None), ("c", "k2"), ("d", "k2"), ("e", None))
    ]
    with django_capture_on_commit_callbacks(), CaptureQueriesContext(connection) as queries:
        queued = notifications_enqueue(batch)
    assert len(queries.captured_queries) == 1
    assert [m.body for m in queued] == ["b", "c", "e"]
    assert {m.pk: m.body for m in queued} == dict(
        OutboxMessage.objects.filter(pk__in=[m.pk for m in queued]).values_list("pk", "body")
    )
    assert OutboxMessage.objects.get(dedupe_key="k1").body == "old"


def test_an_edited_template_takes_effect_at_once(template, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        _notify()
        MessageTemplate.objects.filter(pk=template.pk).update(sms_body="Moi: {{ code }}")
        notify_from_template("test.batch", {"code": "HS-2"}, phone="0912345678")
    assert OutboxMessage.objects.filter(body="Moi: HS-2").exists()


def test_the_dispatch_job_delivers_every_message(template, django_capture_on_commit_callbacks):
    from django.core import mail

    from tthc_portal.notifications.models import OutboxStatus

    with django_capture_on_commit_callbacks(execute=True):
        queued = _notify()
    statuses = set(OutboxMessage.objects.filter(pk__in=[m.pk for m in queued]).values_list(
        "status", flat=True))  # fmt: skip
    assert statuses == {OutboxStatus.SENT}
    assert [m.subject for m in mail.outbox] == ["Hồ sơ HS-1"]
