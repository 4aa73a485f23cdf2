"""Issuing a receipt at the provider: once per payment, whatever the network does.

The receipt row (with its number and key) is written in the payment's transaction;
after commit a worker claims it by compare-and-set and calls the provider. Before any
retry it looks the key up first: a call that timed out may have created the receipt,
and a blind retry would create a second one (desk-operations.md §2, anti-patterns).
Transient failures back off exponentially with jitter (the target's settings); a
refusal or an exhausted budget marks the receipt failed for the desk to see."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.services.pdf.text import amount_in_words
from tthc_portal.audit.services import audit_record

from ..models import PaymentMethod, Receipt, ReceiptSeries, ReceiptStatus
from ..providers import Outcome, ProviderResult, provider_for
from .numbering import number_take, series_for

logger = logging.getLogger(__name__)
CLAIM_SECONDS = 300  # a claim older than this is presumed dead (the worker crashed)


def mask_id(value: str) -> str:
    """Only the last 4 characters of an ID number are printed or sent."""
    value = (value or "").strip()
    return ("*" * max(len(value) - 4, 0)) + value[-4:] if value else ""


def fee_rows(items: list[dict]) -> list[dict]:
    """Each fee with its amount in figures and in words (Art. 23(2))."""
    return [
        {
            "fee": item.get("fee"),
            "name": str(item.get("name", ""))[:255],
            "kind": item.get("kind", ""),
            "amount_vnd": int(item.get("amount_vnd") or 0),
            "amount_words": amount_in_words(int(item.get("amount_vnd") or 0)),
        }
        for item in items
    ]


def receipt_build(
    *, payment, series: ReceiptSeries, method: str, items: list[dict], key: str, reason: str = "",
    replaces: Receipt | None = None,
) -> Receipt:  # fmt: skip
    """Take a number and write the receipt row (inside the caller's transaction)."""
    series, number = number_take(series.pk)
    rows = fee_rows(items)
    total = sum(row["amount_vnd"] for row in rows)
    dossier = payment.dossier
    return Receipt.objects.create(
        key=key, dossier=dossier, payment=payment, series=series, tax_code=series.tax_code,
        template_symbol=series.template_symbol, receipt_symbol=series.receipt_symbol,
        number=number, method=method, fee_items=rows, amount_vnd=total,
        amount_words=amount_in_words(total), payer_name=dossier.applicant_name[:255],
        payer_id_masked=mask_id(dossier.applicant_id_number), reason=reason[:500],
        replaces=replaces, next_attempt_at=timezone.now(),
    )  # fmt: skip


def dispatch(receipt_id: int) -> None:
    """Queue the issue after commit (the documents-queue pattern)."""
    from ..tasks import receipt_issue_task

    # robust: a broker hiccup must not fail the committed payment; the sweep issues it.
    transaction.on_commit(lambda: receipt_issue_task.delay(receipt_id), robust=True)


def receipt_request(*, payment, method: str, actor=None, point_code: str = "") -> Receipt | None:
    """The receipt of a paid payment, requested once: a second call returns the first.
    None when the agency has no receipt range configured (the desk is told)."""
    existing = Receipt.objects.filter(payment=payment, replaces__isnull=True).first()
    if existing is not None:
        return existing
    dossier = payment.dossier
    series = series_for(
        dossier.receiving_agency_id, online=method == PaymentMethod.ONLINE, point_code=point_code
    )
    if series is None:
        logger.warning("no receipt range for agency %s", dossier.receiving_agency_id)
        return None
    receipt = receipt_build(
        payment=payment, series=series, method=method, items=payment.fee_items,
        key=f"BL-{payment.reference.hex}",
    )  # fmt: skip
    audit_record(
        actor=actor, action="receipt.requested", target=dossier,
        after={"receipt": receipt.pk, "number": str(receipt), "payment": str(payment.reference)},
    )  # fmt: skip
    dispatch(receipt.pk)
    return receipt


def _backoff(target, attempts: int) -> timedelta:
    delay = min(target.backoff_base * (2 ** max(attempts - 1, 0)), target.backoff_max)
    return timedelta(seconds=delay * random.uniform(0.8, 1.2))


def _claim(receipt_id: int, now) -> Receipt | None:
    """Compare-and-set: only one worker issues a receipt at a time."""
    stale = now - timedelta(seconds=CLAIM_SECONDS)
    due = Q(status=ReceiptStatus.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    dead = Q(status=ReceiptStatus.ISSUING, claimed_at__lt=stale)
    with transaction.atomic():
        row = Receipt.objects.select_for_update().filter(Q(pk=receipt_id) & (due | dead)).first()
        if row is None:
            return None
        row.status, row.claimed_at, row.attempts = ReceiptStatus.ISSUING, now, row.attempts + 1
        row.save(update_fields=["status", "claimed_at", "attempts"])
    return Receipt.objects.select_related("series__target", "series__agency", "replaces").get(
        pk=receipt_id
    )


def _call_provider(receipt: Receipt, provider) -> ProviderResult:
    # A receipt tried before may exist at the provider already: look it up by key first.
    if receipt.attempts > 1:
        found = provider.view(receipt)
        if found.outcome != Outcome.NOT_FOUND:
            return found
    if receipt.replaces_id:
        result = provider.replace(receipt, receipt.replaces)
    else:
        result = provider.issue(receipt)
    if result.outcome == Outcome.EXISTS:
        # The key is used: the receipt exists, adopt it rather than issue another.
        found = provider.view(receipt)
        return found if found.outcome != Outcome.NOT_FOUND else result
    return result


def receipt_issue(receipt_id: int) -> Receipt | None:
    """Issue one receipt (idempotent; safe to call again at any moment)."""
    now = timezone.now()
    receipt = _claim(receipt_id, now)
    if receipt is None:
        return None
    target = receipt.series.target
    provider = provider_for(target)
    try:
        result = _call_provider(receipt, provider)
    finally:
        provider.save_log()
    with transaction.atomic():
        locked = Receipt.objects.select_for_update().get(pk=receipt.pk)
        locked.claimed_at = None
        if result.ok:
            locked.status, locked.issued_at = ReceiptStatus.ISSUED, timezone.now()
            locked.provider_ref, locked.last_error = result.provider_ref[:64], ""
            if receipt.replaces_id:
                _close_replaced(receipt.replaces_id, locked)
        elif result.outcome == Outcome.TRANSIENT and locked.attempts < target.max_attempts:
            locked.status = ReceiptStatus.PENDING
            locked.next_attempt_at = timezone.now() + _backoff(target, locked.attempts)
            locked.last_error = result.message[:500]
        else:
            locked.status, locked.last_error = ReceiptStatus.FAILED, result.message[:500]
        locked.save()
        audit_record(
            actor=None, action=f"receipt.{locked.status}", target=locked.dossier,
            after={"receipt": locked.pk, "number": str(locked), "attempt": locked.attempts,
                   "provider": locked.provider_ref, "error": locked.last_error},
        )  # fmt: skip
    if locked.status == ReceiptStatus.ISSUED:
        from .pdf import receipt_pdf_render

        try:
            receipt_pdf_render(locked.pk)
        except Exception:  # the receipt is issued; the sweep renders the PDF again
            logger.exception("receipt %s: PDF not rendered", locked.pk)
    return locked


def _close_replaced(original_id: int, replacement: Receipt) -> None:
    original = Receipt.objects.select_for_update().get(pk=original_id)
    original.status, original.closed_at = ReceiptStatus.REPLACED, timezone.now()
    original.save(update_fields=["status", "closed_at"])


def receipt_retry(*, receipt: Receipt, actor) -> Receipt:
    """The desk sends a failed receipt again (same key, same number: never a second one)."""
    from . import ReceiptError

    updated = Receipt.objects.filter(pk=receipt.pk, status=ReceiptStatus.FAILED).update(
        status=ReceiptStatus.PENDING, next_attempt_at=timezone.now(), attempts=1
    )
    if not updated:
        raise ReceiptError(_("Chỉ gửi lại được biên lai phát hành không thành công."))
    audit_record(actor=actor, action="receipt.retry", target=receipt.dossier,
                 after={"receipt": receipt.pk})  # fmt: skip
    dispatch(receipt.pk)
    return Receipt.objects.get(pk=receipt.pk)


def receipts_sweep(*, limit: int = 200) -> int:
    """Beat: issue what is due (retries after backoff, dead claims) and render missing PDFs."""
    now = timezone.now()
    stale = now - timedelta(seconds=CLAIM_SECONDS)
    due = Receipt.objects.filter(
        Q(status=ReceiptStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=ReceiptStatus.ISSUING, claimed_at__lt=stale)
    ).values_list("pk", flat=True)[:limit]
    count = 0
    for pk in list(due):
        if receipt_issue(pk) is not None:
            count += 1
    from .pdf import receipt_pdf_render

    unsigned = Receipt.objects.filter(status=ReceiptStatus.ISSUED, pdf="").values_list(
        "pk", flat=True
    )
    for pk in list(unsigned[:limit]):
        try:
            receipt_pdf_render(pk)
        except Exception:
            logger.exception("receipt %s: PDF not rendered", pk)
    return count
