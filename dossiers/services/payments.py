"""Online payment of fees through a pluggable gateway with a signed confirmation.

Every gateway shares one rule for applying its (verified) answer:
:func:`payment_confirm` — exactly once, replays are no-ops, the amount must be
the one owed, audited, a receipt document on success, the dossier's header
re-synced. A gateway only decides whether a message is genuine."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from tthc_portal.audit.services import audit_record
from tthc_portal.web.checks import demo_parts_allowed

from ..models import (
    CLOSED_WITHOUT_RESULT,
    DocumentKind,
    Dossier,
    GatewayFlag,
    Payment,
    PaymentStatus,
)
from ..signals import dossier_header_changed
from . import DossierError
from .documents import document_issue
from .fees import dossier_fee_items


@dataclass(frozen=True)
class CallbackData:
    """The form-style callback of the simulated gateway."""

    reference: str
    amount_vnd: int
    status: str  # "paid" | "failed"
    transaction_ref: str
    signature: str


@dataclass(frozen=True)
class Confirmation:
    """A gateway's answer about one payment, already verified by that gateway."""

    amount_vnd: int
    paid: bool
    transaction_ref: str
    gateway: str = ""
    # DuocThanhToanTrucTuyen of the gateway that took the money (1 national, 2 provincial).
    flag: int | None = None


class PaymentGateway:
    code = ""
    flag: int | None = None

    def start_url(self, payment: Payment, *, client_ip: str = "") -> str:
        """Where the citizen's browser goes to pay. A gateway may open the
        transaction remotely first (PayGov INIT); it raises DossierError when it
        cannot, and nothing about the payment changes."""
        raise NotImplementedError

    def verify(self, data: CallbackData) -> bool:
        """Whether a form-style callback is genuine. Gateways that confirm through
        their own endpoint refuse this one."""
        return False


class SimulatedGateway(PaymentGateway):
    """A stand-in bank for the demo and tests: same flow, HMAC-signed callback.

    Where demo parts are not allowed (TTHC_DEMO_PARTS) it neither sends anyone
    to its bank nor accepts a callback, whatever the gateway setting says."""

    code = "simulated"
    flag = GatewayFlag.LOCAL

    def __init__(self, secret: str) -> None:
        self.secret = secret.encode()

    def sign(self, reference: str, amount_vnd: int, status: str, transaction_ref: str) -> str:
        message = f"{reference}|{amount_vnd}|{status}|{transaction_ref}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    def start_url(self, payment: Payment, *, client_ip: str = "") -> str:
        from django.urls import reverse

        if not demo_parts_allowed():
            raise DossierError(
                _(
                    "Hệ thống chưa kết nối cổng thanh toán trực tuyến. Xin vui lòng nộp phí, "
                    "lệ phí tại Bộ phận Một cửa."
                )
            )
        return reverse("dossiers:payment_simulator", args=[payment.reference])

    def verify(self, data: CallbackData) -> bool:
        if not demo_parts_allowed():
            return False
        expected = self.sign(data.reference, data.amount_vnd, data.status, data.transaction_ref)
        return hmac.compare_digest(expected, data.signature)


@cache
def get_gateway() -> PaymentGateway:
    options = settings.TTHC.get("PAYMENT_GATEWAY_OPTIONS", {})
    return import_string(settings.TTHC["PAYMENT_GATEWAY"])(**options)


@receiver(setting_changed, dispatch_uid="dossiers-payments-forget-gateway")
def _forget_gateway(*, setting: str, **_kwargs) -> None:
    # Tests (and a reconfigured shell) switch gateways through settings.TTHC.
    if setting == "TTHC":
        get_gateway.cache_clear()


@transaction.atomic
def payment_request(*, dossier: Dossier) -> Payment | None:
    """Open the dossier's payment for its fee list (None when nothing is owed)."""
    if dossier.status in CLOSED_WITHOUT_RESULT:
        return None  # closed: nothing is owed
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
    # The fee list is part of the national header (DanhSachLePhi).
    dossier_header_changed.send(sender=Dossier, dossier=dossier, reason="fees")
    from .lifecycle import notify_applicant

    notify_applicant(dossier, "payment_requested")
    return payment


class PaymentRefused(DossierError):
    """A gateway confirmed a payment the portal had cancelled."""


def payments_cancel_open(dossier: Dossier, *, actor, reason: str) -> int:
    """Cancel the dossier's open payment requests (inside the caller's transaction)."""
    cancelled = 0
    for payment in dossier.payments.select_for_update().filter(status=PaymentStatus.REQUESTED):
        payment.status = PaymentStatus.CANCELLED
        payment.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="payment.cancelled",
            target=dossier,
            after={"payment": str(payment.reference), "because": reason},
        )
        cancelled += 1
    return cancelled


@transaction.atomic
def payment_confirm(*, payment_id: int, confirmation: Confirmation) -> Payment:
    """Apply a verified gateway answer exactly once (every gateway goes through here).

    A payment no longer open is returned unchanged (a replay, or a second
    gateway message about it); an amount other than the one owed is refused."""
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("dossier")
        .filter(pk=payment_id)
        .first()
    )
    if payment is None:
        raise DossierError(_("Không tìm thấy giao dịch thanh toán."))
    if payment.status == PaymentStatus.CANCELLED and confirmation.paid:
        # The dossier was closed before the money arrived: the confirmation is
        # refused, so the gateway reverses the charge rather than the portal
        # keeping a fee for a dossier it will not process.
        raise PaymentRefused(
            _("Hồ sơ đã kết thúc nên yêu cầu thanh toán đã bị hủy; giao dịch bị từ chối.")
        )
    if payment.status != PaymentStatus.REQUESTED:
        return payment
    if confirmation.amount_vnd != payment.amount_vnd:
        raise DossierError(_("Số tiền xác nhận không khớp với số tiền cần thanh toán."))
    now = timezone.now()
    payment.transaction_ref = confirmation.transaction_ref[:64]
    if confirmation.gateway:
        payment.gateway = confirmation.gateway[:32]
    if confirmation.paid:
        payment.status = PaymentStatus.PAID
        payment.paid_at = now
        payment.receipt_no = f"BL{now:%y%m%d}-{payment.pk:06d}"
        if confirmation.flag is not None:
            payment.gateway_flag = confirmation.flag
    else:
        payment.status = PaymentStatus.FAILED
    payment.save()
    audit_record(
        actor=None,
        action=f"payment.{payment.status}",
        target=payment.dossier,
        after={
            "payment": str(payment.reference),
            "transaction": confirmation.transaction_ref,
            "gateway": payment.gateway,
        },
    )
    if payment.status == PaymentStatus.PAID:
        document_issue(payment.dossier, DocumentKind.PAYMENT_RECEIPT, source_id=payment.pk)
        _fee_receipt_request(payment, method="TTO", actor=None)
        # DuocThanhToanTrucTuyen and the fee rows' HinhThucThu change on the hub.
        dossier_header_changed.send(sender=Dossier, dossier=payment.dossier, reason="payment")
    return payment


@transaction.atomic
def payment_callback(data: CallbackData) -> Payment:
    """The configured gateway's form-style callback: verify, then apply once."""
    gateway = get_gateway()
    if not gateway.verify(data):
        raise DossierError(_("Chữ ký xác nhận thanh toán không hợp lệ."))
    try:
        reference = uuid.UUID(str(data.reference))
    except ValueError:
        raise DossierError(_("Không tìm thấy giao dịch thanh toán.")) from None
    payment_id = Payment.objects.filter(reference=reference).values_list("pk", flat=True).first()
    if payment_id is None:
        raise DossierError(_("Không tìm thấy giao dịch thanh toán."))
    return payment_confirm(
        payment_id=payment_id,
        confirmation=Confirmation(
            amount_vnd=data.amount_vnd,
            paid=data.status == "paid",
            transaction_ref=data.transaction_ref,
            gateway=gateway.code,
            flag=gateway.flag,
        ),
    )


@transaction.atomic
def payment_retry(*, dossier: Dossier) -> Payment | None:
    """After a failed attempt the citizen can try again with a new reference."""
    return payment_request(dossier=dossier)


def _fee_receipt_request(payment: Payment, *, method: str, actor, point_code: str = ""):
    """The electronic fee receipt (Circular 91/2026) of a paid payment: its row and
    number are written in this transaction, the provider is called after commit.
    A missing or exhausted number range never undoes the payment: it is audited and the
    desk issues the receipt once a range is configured."""
    from receipts.services import ReceiptError, receipt_request

    try:
        return receipt_request(payment=payment, method=method, actor=actor, point_code=point_code)
    except ReceiptError as error:
        audit_record(
            actor=actor, action="receipt.not_requested", target=payment.dossier,
            after={"payment": str(payment.reference), "error": error.message},
        )  # fmt: skip
        return None


COUNTER_GATEWAY = "counter"


@transaction.atomic
def payment_record_at_desk(*, dossier: Dossier, actor, method: str, point_code: str = ""):
    """The desk collects the fees the dossier owes (cash, transfer, card) and the
    electronic receipt is requested. Returns (payment, receipt or None).

    The dossier row is locked, so two officers clicking together collect once; an open
    online payment request is cancelled (the citizen can no longer pay it twice)."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.status in CLOSED_WITHOUT_RESULT:
        raise DossierError(_("Hồ sơ đã kết thúc nên không thu phí, lệ phí."))
    if locked.payments.filter(status=PaymentStatus.PAID).exists():
        raise DossierError(_("Phí, lệ phí của hồ sơ này đã được thu."))
    items = dossier_fee_items(locked)
    amount = sum(item["amount_vnd"] for item in items)
    if amount <= 0:
        raise DossierError(_("Hồ sơ không có khoản phí, lệ phí nào cần thu."))
    payments_cancel_open(locked, actor=actor, reason="paid_at_desk")
    now = timezone.now()
    payment = Payment.objects.create(
        dossier=locked, fee_items=items, amount_vnd=amount, gateway=COUNTER_GATEWAY,
        status=PaymentStatus.PAID, paid_at=now, transaction_ref=f"{COUNTER_GATEWAY}:{method}",
    )  # fmt: skip
    audit_record(
        actor=actor, action="payment.paid_at_desk", target=locked,
        after={"payment": str(payment.reference), "amount": amount, "method": method},
    )  # fmt: skip
    receipt = _fee_receipt_request(payment, method=method, actor=actor, point_code=point_code)
    if receipt is not None:
        payment.receipt_no = f"{receipt.receipt_symbol}-{receipt.number_text}"
        payment.save(update_fields=["receipt_no"])
    dossier_header_changed.send(sender=Dossier, dossier=locked, reason="payment")
    return payment, receipt
