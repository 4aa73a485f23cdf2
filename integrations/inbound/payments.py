"""``ThanhToan``: the citizen paid the dossier's fees on the national platform.

The dossier's open payment (or one opened now for its fee list) is confirmed through
``payment_confirm`` — the one rule every gateway follows: once only, the amount must be
the one owed, audited, a receipt, the header re-synced — with ``DuocThanhToanTrucTuyen``
1 (national platform). The raw message is also kept beside PayGov's."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from dossiers.models import GatewayFlag, PaymentStatus
from dossiers.services import DossierError
from dossiers.services.payments import Confirmation, payment_confirm, payment_request

from ..models import PaymentMessage
from .envelope import (
    Inbound,
    InboundOutcome,
    MessageTaken,
    accepted,
    duplicate,
    message_claim,
    refused,
    taken,
)
from .followups import dossier_of, not_found

GATEWAY = "dvcqg"


def _amount(value) -> int | None:
    text = str(value if value is not None else "").strip()
    return int(text) if re.fullmatch(r"\d{1,15}", text) else None


def payment_receive(msg: Inbound) -> InboundOutcome:
    data = msg.data
    transaction_ref = str(data.get("MaGiaoDich") or "").strip()[:64]
    amount = _amount(data.get("SoTien"))
    if not transaction_ref or amount is None:
        return refused(
            msg, _("Thiếu mã giao dịch (MaGiaoDich) hoặc số tiền (SoTien) không hợp lệ.")
        )
    dossier = dossier_of(msg)
    if dossier is None:
        return not_found(msg)
    if dossier.payments.filter(status=PaymentStatus.PAID, transaction_ref=transaction_ref).exists():
        return duplicate(msg, dossier, _("Giao dịch này đã được ghi nhận."))
    try:
        with transaction.atomic():
            row = message_claim(msg, dossier=dossier)
            payment = dossier.payments.filter(status=PaymentStatus.REQUESTED).first()
            payment = payment or payment_request(dossier=dossier)
            if payment is None:
                paid = dossier.payments.filter(status=PaymentStatus.PAID).exists()
                raise DossierError(
                    _("Hồ sơ đã được thanh toán trước đó.")
                    if paid
                    else _("Hồ sơ không có khoản phí, lệ phí nào phải nộp.")
                )
            payment = payment_confirm(
                payment_id=payment.pk,
                confirmation=Confirmation(
                    amount_vnd=amount, paid=True, transaction_ref=transaction_ref,
                    gateway=GATEWAY, flag=GatewayFlag.NATIONAL,
                ),
            )  # fmt: skip
            if payment.status != PaymentStatus.PAID or payment.transaction_ref != transaction_ref:
                raise DossierError(_("Khoản thanh toán của hồ sơ không còn mở."))
            PaymentMessage.objects.create(
                payment=payment, reference=str(data.get("MaThamChieu") or transaction_ref)[:100],
                direction="in", kind="ThanhToan", body=data, verified=None,
            )  # fmt: skip
    except MessageTaken:
        return taken()
    except DossierError as exc:
        return refused(msg, exc.message, dossier=dossier)
    return accepted(row)
