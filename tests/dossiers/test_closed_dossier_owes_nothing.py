"""Closing a dossier cancels its pending payment request (issue 15, item 3).

Before: a withdrawn dossier still asked for its fee, the list showed "Chờ thanh
toán", and the bank's confirmation was accepted as a payment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dossiers.models import DocumentKind, DossierDocument, Payment, PaymentStatus, Status
from dossiers.services.closing import dossier_withdraw
from dossiers.services.payments import payment_retry
from tests.dossiers.test_payments import CITIZEN, bank_forms, citizen_client, submitted
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
__all__ = ["citizen_client"]


@pytest.fixture
def withdrawn(users, online_procedure):
    dossier = submitted(users, online_procedure)
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == PaymentStatus.REQUESTED
    dossier = dossier_withdraw(actor=users[CITIZEN], dossier=dossier, reason="Nộp nhầm thủ tục")
    assert dossier.status == Status.WITHDRAWN
    payment.refresh_from_db()
    return dossier, payment


def test_withdrawal_cancels_the_open_payment(withdrawn) -> None:
    dossier, payment = withdrawn
    assert payment.status == PaymentStatus.CANCELLED
    assert AuditEvent.objects.filter(action="payment.cancelled", target_id=str(dossier.pk)).exists()
    # Nothing new is opened either.
    assert payment_retry(dossier=dossier) is None
    assert dossier.payments.count() == 1


def test_the_citizen_list_no_longer_shows_a_fee_due(client, users, withdrawn) -> None:
    client.force_login(users[CITIZEN])
    page = client.get(reverse("dossiers:my_dossiers")).content.decode()
    assert "Chờ thanh toán" not in page


def test_a_late_bank_confirmation_is_refused(users, online_procedure, citizen_client) -> None:
    dossier = submitted(users, online_procedure)
    payment = Payment.objects.get(dossier=dossier)
    confirm = bank_forms(citizen_client, payment)["Xác nhận thanh toán"]
    dossier_withdraw(actor=users[CITIZEN], dossier=dossier, reason="Nộp nhầm thủ tục")
    response = citizen_client.post(confirm["action"], confirm["fields"])
    assert response.status_code == 400
    assert "giao dịch bị từ chối" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED and not payment.receipt_no
    assert not DossierDocument.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT).exists()
