"""An online payment gets its e-receipt the same way, from the online collection range."""

from __future__ import annotations

import pytest

from dossiers.models import Payment, PaymentStatus
from dossiers.services.payments import Confirmation, payment_confirm
from receipts.models import PaymentMethod, Receipt, ReceiptStatus
from receipts.services import receipt_issue
from tests.dossiers.test_reception import submitted
from tests.receipts.helpers import justice, receipt_series

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_pdf(monkeypatch):
    monkeypatch.setattr("receipts.services.pdf.receipt_pdf_render", lambda pk: None)


def test_confirmed_online_payment_gets_one_receipt(
    users, online_procedure, province, series, receipt_provider
):
    online = receipt_series(
        justice(province), series.target, point="TRUCTUYEN", start=6000, end=6999, online=True
    )
    dossier = submitted(users, online_procedure)
    payment = Payment.objects.get(dossier=dossier, status=PaymentStatus.REQUESTED)
    confirmation = Confirmation(amount_vnd=50000, paid=True, transaction_ref="SIM1", gateway="sim")
    payment_confirm(payment_id=payment.pk, confirmation=confirmation)
    payment_confirm(payment_id=payment.pk, confirmation=confirmation)  # a replayed confirmation
    receipt = Receipt.objects.get(payment=payment)
    assert (receipt.series_id, receipt.number, receipt.method) == (
        online.pk, 6000, PaymentMethod.ONLINE,
    )  # fmt: skip
    assert receipt_issue(receipt.pk).status == ReceiptStatus.ISSUED
    assert len(receipt_provider.control.receipts()) == 1


def test_without_a_range_the_payment_still_succeeds(users, online_procedure, receipt_provider):
    dossier = submitted(users, online_procedure)
    payment = Payment.objects.get(dossier=dossier, status=PaymentStatus.REQUESTED)
    confirmation = Confirmation(amount_vnd=50000, paid=True, transaction_ref="SIM2", gateway="sim")
    assert payment_confirm(payment_id=payment.pk, confirmation=confirmation).status == "paid"
    assert not Receipt.objects.filter(payment=payment).exists()
