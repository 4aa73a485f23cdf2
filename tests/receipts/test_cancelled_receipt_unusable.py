"""Corrections of Circular 91, Art. 20: notice, replacement, technical void with a reason
in the audit log; a voided or replaced receipt cannot be used for anything any more."""

from __future__ import annotations

import pytest

from dossiers.models import PaymentStatus
from dossiers.services.payments import payment_record_at_desk
from receipts.models import Receipt, ReceiptStatus
from receipts.services import (
    ReceiptError,
    receipt_issue,
    receipt_notice,
    receipt_replace,
    receipt_void,
)
from tests.dossiers.test_reception import submitted
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
OFFICER = "motcua.tuphap"


@pytest.fixture(autouse=True)
def _no_pdf(monkeypatch):
    monkeypatch.setattr("receipts.services.pdf.receipt_pdf_render", lambda pk: None)


@pytest.fixture
def issued(users, online_procedure, series, receipt_provider) -> Receipt:
    dossier = submitted(users, online_procedure)
    _payment, receipt = payment_record_at_desk(dossier=dossier, actor=users[OFFICER], method="CK")
    receipt = receipt_issue(receipt.pk)
    assert receipt.status == ReceiptStatus.ISSUED
    return receipt


def assert_unusable(receipt: Receipt, officer) -> None:
    with pytest.raises(ReceiptError):
        receipt_void(receipt=receipt, reason="lại", actor=officer)
    with pytest.raises(ReceiptError):
        receipt_replace(receipt=receipt, items=receipt.fee_items, reason="lại", actor=officer)
    with pytest.raises(ReceiptError):
        receipt_notice(receipt=receipt, field="payer_name", new_value="X", reason="lại",
                       actor=officer)  # fmt: skip
    assert not Receipt.objects.get(pk=receipt.pk).usable


def test_voided_receipt_cannot_be_used(issued, users, receipt_provider):
    officer = users[OFFICER]
    with pytest.raises(ReceiptError):
        receipt_void(receipt=issued, reason="  ", actor=officer)  # a reason is required
    voided = receipt_void(
        receipt=issued, reason="Thu nhầm lệ phí, đã hoàn trả", actor=officer, refund=True
    )
    assert voided.status == ReceiptStatus.VOIDED
    assert voided.payment.status == PaymentStatus.REFUNDED
    held = receipt_provider.control.receipts()
    assert [r["status"] for r in held] == ["voided"]
    event = AuditEvent.objects.filter(action="receipt.voided").get()
    assert event.after["reason"] == "Thu nhầm lệ phí, đã hoàn trả"
    assert_unusable(voided, officer)


def test_replaced_receipt_cannot_be_used(issued, users, receipt_provider):
    officer = users[OFFICER]
    items = [{**issued.fee_items[0], "amount_vnd": 50000}]
    replacement = receipt_replace(
        receipt=issued, items=items, reason="Sai số tiền thu", actor=officer
    )
    with pytest.raises(ReceiptError):  # only one replacement at a time
        receipt_replace(receipt=issued, items=items, reason="lần hai", actor=officer)
    replacement = receipt_issue(replacement.pk)
    assert replacement.status == ReceiptStatus.ISSUED
    assert replacement.number == issued.number + 1 and replacement.amount_vnd == 50000
    assert replacement.amount_words == "Năm mươi nghìn đồng"
    original = Receipt.objects.get(pk=issued.pk)
    assert original.status == ReceiptStatus.REPLACED
    held = {r["transactionUuid"]: r for r in receipt_provider.control.receipts()}
    assert held[issued.key]["status"] == "replaced"
    assert held[replacement.key]["replaces"] == issued.provider_ref
    assert AuditEvent.objects.filter(action="receipt.replace").get().after["reason"] == (
        "Sai số tiền thu"
    )
    assert_unusable(original, officer)


def test_after_the_tax_authority_has_it_only_a_replacement(issued, users, receipt_provider):
    receipt_provider.control.report()
    with pytest.raises(ReceiptError, match="thay thế"):
        receipt_void(receipt=issued, reason="Thu nhầm", actor=users[OFFICER])
    assert Receipt.objects.get(pk=issued.pk).status == ReceiptStatus.ISSUED


def test_notice_keeps_the_receipt_valid(issued, users):
    notice = receipt_notice(
        receipt=issued, field="payer_name", new_value="Nguyễn Văn An", reason="Sai tên",
        actor=users[OFFICER],
    )  # fmt: skip
    assert notice.old_value == issued.payer_name
    assert Receipt.objects.get(pk=issued.pk).usable
    with pytest.raises(ReceiptError):  # an amount error is not a notice
        receipt_notice(receipt=issued, field="amount_vnd", new_value="1", reason="x",
                       actor=users[OFFICER])  # fmt: skip
