"""Corrections as Circular 91/2026, Art. 20 says: a wrong name, address or amount in
words (tax code and amount right) → a notice, no re-issue; any other error → a
replacement receipt. There is no legal "cancel": the provider's cancel is a technical
void before the data reaches the tax authority, with a reason and an audit entry.
A voided or replaced receipt can be used for nothing any more."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import PaymentStatus
from tthc_portal.audit.services import audit_record

from ..models import Receipt, ReceiptNotice, ReceiptStatus
from ..providers import Outcome, provider_for
from . import ReceiptError
from .issue import dispatch, receipt_build

# The errors a notice may correct (everything else needs a replacement).
NOTICE_FIELDS = ("payer_name", "payer_address", "amount_words")


def _usable(receipt_id: int) -> Receipt:
    """Lock the receipt; refuse any use of one that is not issued and in force."""
    receipt = (
        Receipt.objects.select_for_update().select_related("payment", "series").get(pk=receipt_id)
    )
    if receipt.status != ReceiptStatus.ISSUED:
        raise ReceiptError(
            _("Biên lai %(number)s %(state)s nên không thể sử dụng.")
            % {"number": str(receipt), "state": receipt.get_status_display().lower()}
        )
    return receipt


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReceiptError(_("Cần ghi rõ lý do."))
    return reason[:500]


@transaction.atomic
def receipt_notice(
    *, receipt: Receipt, field: str, new_value: str, reason: str, actor
) -> ReceiptNotice:
    """Form 04/SS-CTĐT: the receipt stays valid, the payer and the tax office are told."""
    reason = _reason(reason)
    if field not in NOTICE_FIELDS:
        raise ReceiptError(_("Sai sót này phải xử lý bằng biên lai thay thế."))
    locked = _usable(receipt.pk)
    old = {"payer_name": locked.payer_name, "amount_words": locked.amount_words}.get(field, "")
    notice = ReceiptNotice.objects.create(
        receipt=locked, field=field, old_value=old[:500], new_value=new_value.strip()[:500],
        reason=reason, created_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, action="receipt.notice", target=locked.dossier,
        after={"receipt": locked.pk, "field": field, "reason": reason},
    )  # fmt: skip
    return notice


@transaction.atomic
def receipt_replace(*, receipt: Receipt, items: list[dict], reason: str, actor) -> Receipt:
    """A replacement receipt (new number, same collection point) for any other error,
    a wrongly collected fee included; the original becomes "replaced" once the
    replacement is issued, and from then on cannot be used."""
    reason = _reason(reason)
    locked = _usable(receipt.pk)
    if Receipt.objects.filter(replaces=locked).exists():
        raise ReceiptError(_("Biên lai này đã có biên lai thay thế đang phát hành."))
    if not items or any(int(item.get("amount_vnd") or 0) <= 0 for item in items):
        raise ReceiptError(_("Biên lai thay thế phải có ít nhất một khoản thu với số tiền dương."))
    generation = Receipt.objects.filter(key__startswith=f"{locked.key}-R").count() + 1
    replacement = receipt_build(
        payment=locked.payment, series=locked.series, method=locked.method, items=items,
        key=f"{locked.key}-R{generation}", reason=reason, replaces=locked,
    )  # fmt: skip
    audit_record(
        actor=actor, action="receipt.replace", target=locked.dossier,
        before={"receipt": locked.pk, "number": str(locked), "amount": locked.amount_vnd},
        after={"receipt": replacement.pk, "number": str(replacement),
               "amount": replacement.amount_vnd, "reason": reason},
    )  # fmt: skip
    dispatch(replacement.pk)
    return replacement


def receipt_void(*, receipt: Receipt, reason: str, actor, refund: bool = False) -> Receipt:
    """Technical void at the provider (only before the tax authority has the data);
    ``refund``: the fee was handed back, the payment is marked refunded."""
    reason = _reason(reason)
    with transaction.atomic():
        locked = _usable(receipt.pk)
    provider = provider_for(locked.series.target)
    try:
        result = provider.void(locked, reason)
    finally:
        provider.save_log()
    if result.outcome == Outcome.TRANSIENT:
        raise ReceiptError(_("Nhà cung cấp biên lai chưa phản hồi; vui lòng thử lại sau."))
    if not result.ok:
        raise ReceiptError(
            _("Nhà cung cấp không hủy được biên lai (%(reason)s). Hãy lập biên lai thay thế.")
            % {"reason": result.message}
        )
    with transaction.atomic():
        locked = _usable(receipt.pk)
        locked.status, locked.closed_at, locked.reason = (
            ReceiptStatus.VOIDED, timezone.now(), reason,
        )  # fmt: skip
        locked.save(update_fields=["status", "closed_at", "reason"])
        if refund:
            payment = locked.payment
            payment.status = PaymentStatus.REFUNDED
            payment.save(update_fields=["status"])
        audit_record(
            actor=actor, action="receipt.voided", target=locked.dossier,
            after={"receipt": locked.pk, "number": str(locked), "reason": reason,
                   "refund": refund},
        )  # fmt: skip
    return locked
