"""Online payment of fees through a pluggable gateway with a signed callback."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from tthc_portal.audit.services import audit_record

from ..models import DocumentKind, Dossier, GatewayFlag, Payment, PaymentStatus
from . import DossierError
from .documents import document_issue
from .fees import dossier_fee_items


@dataclass(frozen=True)
class CallbackData:
    reference: str
    amount_vnd: int
    status: str  # "paid" | "failed"
    transaction_ref: str
    signature: str


class PaymentGateway:
    code = ""
    flag: int | None = None

    def start_url(self, payment: Payment) -> str:
        """Where the citizen's browser goes to pay."""
        raise NotImplementedError

    def verify(self, data: CallbackData) -> bool:
        raise NotImplementedError


class SimulatedGateway(PaymentGateway):
    """A stand-in bank for the demo and tests: same flow, HMAC-signed callback."""

    code = "simulated"
    flag = GatewayFlag.LOCAL

    def __init__(self, secret: str) -> None:
        self.secret = secret.encode()

    def sign(self, reference: str, amount_vnd: int, status: str, transaction_ref: str) -> str:
        message = f"{reference}|{amount_vnd}|{status}|{transaction_ref}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    def start_url(self, payment: Payment) -> str:
        from django.urls import reverse

        return reverse("dossiers:payment_simulator", args=[payment.reference])

    def verify(self, data: CallbackData) -> bool:
        expected = self.sign(data.reference, data.amount_vnd, data.status, data.transaction_ref)
        return hmac.compare_digest(expected, data.signature)


@cache
def get_gateway() -> PaymentGateway:
    options = settings.TTHC.get("PAYMENT_GATEWAY_OPTIONS", {})
    return import_string(settings.TTHC["PAYMENT_GATEWAY"])(**options)


@transaction.atomic
def payment_request(*, dossier: Dossier) -> Payment | None:
    """Open the dossier's payment for its fee list (None when nothing is owed)."""
    items = dossier_fee_items(dossier)
    amount = sum(item["amount_vnd"] for item in items)
    if amount <= 0:
        return None
    open_payment = dossier.payments.filter(status=PaymentStatus.REQUESTED).first()
    if open_payment is not None:
        return open_payment
    if dossier.payments.filter(status=PaymentStatus.PAID).exists():
        return None
    gateway = get_gateway()
    payment = Payment.objects.create(
        dossier=dossier, fee_items=items, amount_vnd=amount, gateway=gateway.code,
        gateway_flag=gateway.flag,
    )  # fmt: skip
    audit_record(
        actor=None,
        action="payment.request",
        target=dossier,
        after={"payment": str(payment.reference), "amount": amount},
    )
    from .lifecycle import notify_applicant

    notify_applicant(dossier, "payment_requested")
    return payment


@transaction.atomic
def payment_callback(data: CallbackData) -> Payment:
    """Apply the gateway's signed answer exactly once (replays are no-ops)."""
    gateway = get_gateway()
    if not gateway.verify(data):
        raise DossierError(_("Chữ ký xác nhận thanh toán không hợp lệ."))
    try:
        reference = uuid.UUID(str(data.reference))
    except ValueError:
        raise DossierError(_("Không tìm thấy giao dịch thanh toán.")) from None
    payment = Payment.objects.select_for_update().filter(reference=reference).first()
    if payment is None:
        raise DossierError(_("Không tìm thấy giao dịch thanh toán."))
    if payment.status != PaymentStatus.REQUESTED:
        return payment
    if data.amount_vnd != payment.amount_vnd:
        raise DossierError(_("Số tiền xác nhận không khớp với số tiền cần thanh toán."))
    now = timezone.now()
    if data.status == "paid":
        payment.status = PaymentStatus.PAID
        payment.paid_at = now
        payment.transaction_ref = data.transaction_ref[:64]
        payment.receipt_no = f"BL{now:%y%m%d}-{payment.pk:06d}"
    else:
        payment.status = PaymentStatus.FAILED
        payment.transaction_ref = data.transaction_ref[:64]
    payment.save()
    audit_record(
        actor=None,
        action=f"payment.{payment.status}",
        target=payment.dossier,
        after={"payment": str(payment.reference), "transaction": data.transaction_ref},
    )
    if payment.status == PaymentStatus.PAID:
        document_issue(payment.dossier, DocumentKind.PAYMENT_RECEIPT, source_id=payment.pk)
    return payment


@transaction.atomic
def payment_retry(*, dossier: Dossier) -> Payment | None:
    """After a failed attempt the citizen can try again with a new reference."""
    return payment_request(dossier=dossier)
