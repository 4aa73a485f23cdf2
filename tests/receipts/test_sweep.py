"""The beat sweep issues what is due: retries whose backoff ended and receipts whose
worker died mid-claim (looked up by key first, so never issued twice)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dossiers.services.payments import payment_record_at_desk
from receipts.models import Receipt, ReceiptStatus
from receipts.services import receipt_issue, receipts_sweep
from tests.dossiers.test_reception import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_pdf(monkeypatch):
    monkeypatch.setattr("receipts.services.pdf.receipt_pdf_render", lambda pk: None)


def test_sweep_takes_over_a_dead_claim_without_a_second_receipt(
    users, online_procedure, series, receipt_provider
):
    control = receipt_provider.control
    control.configure(unique_keys=False)
    control.faults(control.rule("createInvoice", "timeout", 1.5, count=1))
    dossier = submitted(users, online_procedure)
    _payment, receipt = payment_record_at_desk(
        dossier=dossier, actor=users["motcua.tuphap"], method="TM"
    )
    receipt_issue(receipt.pk)  # timed out after the provider created it
    # The next worker claimed it and died: the claim is old, the row still "issuing".
    Receipt.objects.filter(pk=receipt.pk).update(
        status=ReceiptStatus.ISSUING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    other = submitted(users, online_procedure)
    _payment, waiting = payment_record_at_desk(
        dossier=other, actor=users["motcua.tuphap"], method="CK"
    )
    Receipt.objects.filter(pk=waiting.pk).update(
        next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    assert receipts_sweep() == 1  # the dead claim; the other is not due yet
    assert Receipt.objects.get(pk=receipt.pk).status == ReceiptStatus.ISSUED
    assert Receipt.objects.get(pk=waiting.pk).status == ReceiptStatus.PENDING
    assert [r["transactionUuid"] for r in control.receipts()] == [receipt.key]
