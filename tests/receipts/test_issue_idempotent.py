"""A receipt is issued once per payment, whatever the provider does: a timeout after
the provider created it, 5xx, a "duplicate key" answer. A retry looks the key up first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dossiers.services.payments import payment_record_at_desk
from integrations.models import SyncAttempt
from receipts.models import Receipt, ReceiptStatus
from receipts.services import receipt_issue, receipt_request
from tests.dossiers.test_reception import submitted

pytestmark = pytest.mark.django_db
OFFICER = "motcua.tuphap"


@pytest.fixture(autouse=True)
def _no_pdf(monkeypatch):
    # The signed PDF has its own test; here only the provider conversation matters.
    monkeypatch.setattr("receipts.services.pdf.receipt_pdf_render", lambda pk: None)


def collect(users, online_procedure):
    dossier = submitted(users, online_procedure)
    payment, receipt = payment_record_at_desk(dossier=dossier, actor=users[OFFICER], method="TM")
    assert receipt is not None and receipt.status == ReceiptStatus.PENDING
    return payment, receipt


def make_due(receipt: Receipt) -> None:
    Receipt.objects.filter(pk=receipt.pk).update(next_attempt_at=timezone.now())


def test_timeout_after_the_provider_created_it_gives_one_receipt(
    users, online_procedure, series, receipt_provider
):
    control = receipt_provider.control
    # A provider that does not refuse a repeated key: only the client's look-up protects.
    control.configure(unique_keys=False)
    control.faults(control.rule("createInvoice", "timeout", 1.5, count=1))
    _payment, receipt = collect(users, online_procedure)

    first = receipt_issue(receipt.pk)
    assert first.status == ReceiptStatus.PENDING  # timed out: will retry
    assert first.next_attempt_at > timezone.now() + timedelta(seconds=20)  # backoff
    assert receipt_issue(receipt.pk) is None  # not due yet: not claimed
    assert len(control.receipts()) == 1  # the provider did create it

    make_due(receipt)
    second = receipt_issue(receipt.pk)
    assert second.status == ReceiptStatus.ISSUED
    held = control.receipts()
    assert len(held) == 1, held
    assert held[0]["transactionUuid"] == receipt.key
    assert second.provider_ref == held[0]["invoiceNo"]
    operations = list(
        SyncAttempt.objects.filter(operation__startswith="receipt.")
        .order_by("at", "pk")
        .values_list("operation", "reply_class")
    )
    # Every attempt is logged: the token, the issue that timed out, the look-up by key.
    assert operations == [
        ("receipt.token", "ok"),
        ("receipt.issue", "timeout"),
        ("receipt.view", "ok"),
    ]


def test_server_errors_back_off_then_issue_once(users, online_procedure, series, receipt_provider):
    control = receipt_provider.control
    control.faults(control.rule("createInvoice", "http", 503, count=2))
    _payment, receipt = collect(users, online_procedure)
    delays = []
    for _ in range(2):
        row = receipt_issue(receipt.pk)
        assert row.status == ReceiptStatus.PENDING
        delays.append((row.next_attempt_at - timezone.now()).total_seconds())
        make_due(receipt)
    assert delays[1] > delays[0]  # exponential
    done = receipt_issue(receipt.pk)
    assert done.status == ReceiptStatus.ISSUED and done.attempts == 3
    assert [r["transactionUuid"] for r in control.receipts()] == [receipt.key]
    classes = SyncAttempt.objects.filter(operation="receipt.issue").values_list(
        "reply_class", flat=True
    )
    assert sorted(classes) == ["down", "down", "ok"]


def test_duplicate_answer_is_adopted_not_reissued(
    users, online_procedure, series, receipt_provider
):
    control = receipt_provider.control
    control.faults(control.rule("createInvoice", "duplicate", count=1))
    _payment, receipt = collect(users, online_procedure)
    done = receipt_issue(receipt.pk)
    assert done.status == ReceiptStatus.ISSUED
    assert len(control.receipts()) == 1
    assert done.provider_ref == control.receipts()[0]["invoiceNo"]


def test_provider_down_is_transient(users, online_procedure, series, receipt_provider):
    _payment, receipt = collect(users, online_procedure)
    receipt_provider.stop()
    try:
        row = receipt_issue(receipt.pk)
        assert row.status == ReceiptStatus.PENDING and row.attempts == 1
    finally:
        receipt_provider.start()
    receipt_provider.control.configure(accounts={"0100109106-bl": "mat-khau-mo-phong"})
    make_due(receipt)
    assert receipt_issue(receipt.pk).status == ReceiptStatus.ISSUED
    assert len(receipt_provider.control.receipts()) == 1


def test_a_second_request_for_one_payment_returns_the_first(users, online_procedure, series):
    payment, receipt = collect(users, online_procedure)
    again = receipt_request(payment=payment, method="TM")
    assert again.pk == receipt.pk
    assert Receipt.objects.filter(payment=payment).count() == 1


def test_budget_exhausted_marks_failed(users, online_procedure, series, receipt_provider):
    series.target.__class__.objects.filter(pk=series.target_id).update(max_attempts=2)
    control = receipt_provider.control
    control.faults(control.rule("createInvoice", "http", 500, count=None))
    _payment, receipt = collect(users, online_procedure)
    receipt_issue(receipt.pk)
    make_due(receipt)
    assert receipt_issue(receipt.pk).status == ReceiptStatus.FAILED
    assert control.receipts() == []
