"""The notification outbox: sent after commit, once, with retries and a dead end."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from tthc_portal.notifications import services
from tthc_portal.notifications.gateways import (
    LoggingSMSGateway,
    SMSGateway,
    SMSGatewayError,
    get_sms_gateway,
)
from tthc_portal.notifications.models import Channel, OutboxMessage, OutboxStatus
from tthc_portal.notifications.services import notification_enqueue, outbox_deliver
from tthc_portal.notifications.tasks import outbox_flush

pytestmark = pytest.mark.django_db

PHONE = "0912345678"


class FailingGateway(SMSGateway):
    calls: ClassVar[list[str]] = []

    def send(self, phone: str, text: str, *, idempotency_key: str) -> str:
        FailingGateway.calls.append(idempotency_key)
        raise SMSGatewayError("provider returned HTTP 503")


class RecordingGateway(SMSGateway):
    calls: ClassVar[list[tuple[str, str, str]]] = []

    def send(self, phone: str, text: str, *, idempotency_key: str) -> str:
        RecordingGateway.calls.append((phone, text, idempotency_key))
        return f"prov-{len(RecordingGateway.calls)}"


@pytest.fixture
def use_gateway(settings) -> Iterator[Callable[[type[SMSGateway]], None]]:
    """Switch the SMS gateway class through settings, as production does."""
    FailingGateway.calls.clear()
    RecordingGateway.calls.clear()

    def use(cls: type[SMSGateway]) -> None:
        settings.SMS_GATEWAY = f"{cls.__module__}.{cls.__qualname__}"
        get_sms_gateway.cache_clear()
        assert type(get_sms_gateway()) is cls

    yield use
    get_sms_gateway.cache_clear()


def _email(**kwargs: Any) -> OutboxMessage | None:
    return notification_enqueue(
        channel=Channel.EMAIL,
        recipient=kwargs.pop("recipient", "cong.dan@example.vn"),
        subject=kwargs.pop("subject", "Hồ sơ đã được tiếp nhận"),
        body=kwargs.pop("body", "Hồ sơ H01.01-260102-0001 đã được tiếp nhận."),
        **kwargs,
    )


def _sms(**kwargs: Any) -> OutboxMessage | None:
    return notification_enqueue(
        channel=Channel.SMS,
        recipient=kwargs.pop("recipient", PHONE),
        body=kwargs.pop("body", "Ho so H01 da duoc tiep nhan"),
        **kwargs,
    )


def _reload(message: OutboxMessage | None) -> OutboxMessage:
    assert message is not None
    return OutboxMessage.objects.get(pk=message.pk)


# --- after commit ------------------------------------------------------------


def test_email_is_sent_only_after_the_transaction_commits(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            message = _email(topic="dossiers.dossier:1")
            assert message is not None
            assert _reload(message).status == OutboxStatus.PENDING
            assert mail.outbox == []
        # The block is closed but the outer transaction has not committed yet.
        assert mail.outbox == []
        assert _reload(message).status == OutboxStatus.PENDING

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["cong.dan@example.vn"]
    assert sent.subject == "Hồ sơ đã được tiếp nhận"
    assert "H01.01-260102-0001" in sent.body
    assert sent.extra_headers["Message-ID"] == f"<outbox-{message.pk}@tthc-portal>"

    stored = _reload(message)
    assert stored.status == OutboxStatus.SENT
    assert stored.attempts == 1
    assert stored.sent_at is not None
    assert stored.last_error == ""
    assert stored.provider_message_id == f"outbox-{message.pk}"
    assert stored.topic == "dossiers.dossier:1"


def test_rolled_back_transaction_leaves_no_row_and_sends_nothing(
    django_capture_on_commit_callbacks,
) -> None:
    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        _email(dedupe_key="rolled-back")
        _sms()
        raise Abort

    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_empty_recipient_enqueues_nothing(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert _email(recipient="") is None
        assert _sms(recipient="") is None

    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


# --- exactly once ------------------------------------------------------------


def test_same_dedupe_key_yields_one_row_and_one_email(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        first = _email(dedupe_key="dossier:1:received")
        assert first is not None
        # Same business event queued again in the same transaction ...
        assert _email(dedupe_key="dossier:1:received") is None
    with django_capture_on_commit_callbacks(execute=True):
        # ... and again in a later one.
        assert _email(dedupe_key="dossier:1:received") is None

    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == "<dossier:1:received@tthc-portal>"
    assert _reload(first).status == OutboxStatus.SENT


def test_different_dedupe_keys_are_separate_messages(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _email(dedupe_key="dossier:1:received")
        _email(dedupe_key="dossier:1:returned")
        _email()
        _email()  # no key: never de-duplicated

    assert OutboxMessage.objects.count() == 4
    assert len(mail.outbox) == 4


def test_delivering_twice_never_sends_twice(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        message = _email()
    assert message is not None

    assert outbox_deliver(message.pk) == "sent"
    assert outbox_deliver(message.pk) == "skipped"
    assert outbox_flush() == 0

    assert len(mail.outbox) == 1
    assert _reload(message).attempts == 1


def test_a_fresh_claim_by_another_worker_is_respected(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        message = _email()
    assert message is not None
    # Another worker claimed it a minute ago and is still sending.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, claimed_at=timezone.now() - timedelta(minutes=1)
    )

    assert outbox_deliver(message.pk) == "skipped"
    assert outbox_flush() == 0
    assert mail.outbox == []
    assert _reload(message).status == OutboxStatus.SENDING


# --- failures, retries, dead letters ---------------------------------------------


def test_gateway_failure_marks_the_message_failed_with_backoff(
    use_gateway, django_capture_on_commit_callbacks
) -> None:
    use_gateway(FailingGateway)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        message = _sms(dedupe_key="dossier:7:sms")

    stored = _reload(message)
    assert stored.status == OutboxStatus.FAILED
    assert stored.attempts == 1
    assert stored.next_attempt_at is not None
    assert stored.next_attempt_at > before + timedelta(minutes=1)
    assert stored.last_error == "SMSGatewayError: provider returned HTTP 503"
    assert stored.sent_at is None
    assert FailingGateway.calls == ["dossier:7:sms"]
    # Not due yet: the flush leaves it alone.
    assert outbox_flush() == 0
    assert len(FailingGateway.calls) == 1


def test_message_goes_dead_after_max_attempts(
    settings, use_gateway, django_capture_on_commit_callbacks
) -> None:
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    use_gateway(FailingGateway)
    with django_capture_on_commit_callbacks(execute=True):
        message = _sms()
    assert message is not None
    assert _reload(message).status == OutboxStatus.FAILED

    assert outbox_deliver(message.pk) == "failed"
    assert outbox_deliver(message.pk) == "dead"
    stored = _reload(message)
    assert stored.status == OutboxStatus.DEAD
    assert stored.attempts == 3

    # A dead message is never picked up again.
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(days=1)
    )
    assert outbox_deliver(message.pk) == "skipped"
    assert message.pk not in services.outbox_due_ids()
    assert outbox_flush() == 0
    assert len(FailingGateway.calls) == 3


def test_flush_retries_a_failed_message_once_it_is_due(
    use_gateway, django_capture_on_commit_callbacks
) -> None:
    use_gateway(FailingGateway)
    with django_capture_on_commit_callbacks(execute=True):
        message = _sms(body="Ket qua da san sang")
    assert _reload(message).status == OutboxStatus.FAILED

    # The provider is back; the backoff has not elapsed yet.
    use_gateway(RecordingGateway)
    assert outbox_flush.delay().get() == 0
    assert RecordingGateway.calls == []

    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert outbox_flush.delay().get() == 1

    stored = _reload(message)
    assert stored.status == OutboxStatus.SENT
    assert stored.attempts == 2
    assert stored.last_error == ""
    assert stored.provider_message_id == "prov-1"
    assert RecordingGateway.calls == [(PHONE, "Ket qua da san sang", f"outbox-{message.pk}")]
    assert outbox_flush() == 0


def test_flush_reclaims_a_message_stuck_in_sending(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        message = _email()
    assert message is not None
    # Its worker died mid-send longer ago than the stale-claim window.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING,
        claimed_at=timezone.now() - services.STALE_CLAIM - timedelta(seconds=5),
    )

    assert message.pk in services.outbox_due_ids()
    assert outbox_flush() == 1
    assert _reload(message).status == OutboxStatus.SENT
    assert len(mail.outbox) == 1


# --- gateways -------------------------------------------------------------------


def test_logging_gateway_writes_the_sms_to_the_log(
    settings, use_gateway, caplog, django_capture_on_commit_callbacks
) -> None:
    use_gateway(LoggingSMSGateway)
    with (
        caplog.at_level(logging.INFO, logger="tthc_portal.notifications.gateways"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = _sms(body="Ho so da co ket qua", dedupe_key="dossier:9:result")

    records = [r for r in caplog.records if r.name == "tthc_portal.notifications.gateways"]
    assert len(records) == 1
    text = records[0].getMessage()
    assert PHONE in text
    assert "Ho so da co ket qua" in text
    assert "dossier:9:result" in text
    stored = _reload(message)
    assert stored.status == OutboxStatus.SENT
    assert stored.provider_message_id == "log-dossier:9:result"


class _Provider(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        _Provider.received.append(
            {
                "path": self.path,
                "auth": self.headers["Authorization"],
                "json": json.loads(self.rfile.read(length)),
            }
        )
        body = json.dumps({"id": "provider-42"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def sms_provider(monkeypatch) -> Iterator[str]:
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    _Provider.received.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sms"
    finally:
        server.shutdown()
        server.server_close()


def test_http_gateway_posts_the_idempotency_key(
    settings, sms_provider: str, django_capture_on_commit_callbacks
) -> None:
    settings.SMS_GATEWAY = "tthc_portal.notifications.gateways.HttpJsonSMSGateway"
    settings.SMS_GATEWAY_OPTIONS = {"url": sms_provider, "token": "bi-mat", "sender": "TTHC"}
    get_sms_gateway.cache_clear()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message = _sms(body="Ma OTP 123456", dedupe_key="otp:1")
    finally:
        get_sms_gateway.cache_clear()

    assert _Provider.received == [
        {
            "path": "/sms",
            "auth": "Bearer bi-mat",
            "json": {"to": PHONE, "text": "Ma OTP 123456", "sender": "TTHC", "id": "otp:1"},
        }
    ]
    stored = _reload(message)
    assert stored.status == OutboxStatus.SENT
    assert stored.provider_message_id == "provider-42"


def test_http_gateway_unreachable_is_a_retryable_failure(
    settings, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.delenv("http_proxy", raising=False)
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    settings.SMS_GATEWAY = "tthc_portal.notifications.gateways.HttpJsonSMSGateway"
    # Port 9 (discard) on loopback: nothing listens, the connection is refused.
    settings.SMS_GATEWAY_OPTIONS = {"url": "http://127.0.0.1:9/sms", "token": "", "sender": ""}
    get_sms_gateway.cache_clear()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message = _sms()
    finally:
        get_sms_gateway.cache_clear()

    stored = _reload(message)
    assert stored.status == OutboxStatus.FAILED
    assert stored.last_error.startswith("SMSGatewayError:")
