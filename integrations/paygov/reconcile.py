"""Daily PayGov reconciliation: QUERY what the portal is unsure of.

- every payment still "requested" for more than a few minutes that has a PayGov
  attempt: a confirmed one is applied (a lost server-to-server message no
  longer leaves the dossier unpaid);
- every payment recorded paid since ``since``: PayGov must say paid, with the
  same amount and transaction.
Each difference is audited and listed in the report."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from dossiers.models import Payment, PaymentStatus

from ..models import PaymentMessage
from .messages import OK, PAID
from .services import paygov_answers, paygov_mismatch_record, paygov_settle


def _with_attempts():
    attempted = PaymentMessage.objects.filter(direction="out", kind="INIT").values("payment_id")
    return Payment.objects.filter(pk__in=attempted).select_related("dossier")


def _check_paid(payment: Payment, answers: list, report: dict[str, Any]) -> None:
    known = [(ref, fields) for ref, fields in answers if fields is not None]
    if not known:
        report["errors"].append({"payment": str(payment.reference), "error": "no answer"})
        return
    ours = [(ref, f) for ref, f in known if f["MaGiaoDich"][:64] == payment.transaction_ref]
    if not ours:
        # Paid locally through another gateway, or PayGov lost the transaction.
        states = ",".join(f["TrangThaiGD"] for _ref, f in known)
        _difference(report, payment, known[0][0], "MaGiaoDich", payment.transaction_ref, states)
        return
    reference, fields = ours[0]
    if fields["MaLoi"] != OK or fields["TrangThaiGD"] != PAID:
        _difference(report, payment, reference, "TrangThaiGD", PAID, fields["TrangThaiGD"])
    if fields["SoTien"] != str(payment.amount_vnd):
        _difference(report, payment, reference, "SoTien", str(payment.amount_vnd),
                    fields["SoTien"])  # fmt: skip
    for other, extra in known:
        if other != reference and extra["MaLoi"] == OK and extra["TrangThaiGD"] == PAID:
            _difference(report, payment, other, "TrangThaiGD", "", PAID)  # paid twice


def _difference(report: dict, payment: Payment, reference: str, field: str, local: str,
                remote: str) -> None:  # fmt: skip
    mismatch = paygov_mismatch_record(payment, reference, field, local, remote)
    report["mismatches"].append(_row(payment, mismatch))


def _row(payment: Payment, mismatch: dict) -> dict:
    return {"payment": str(payment.reference),
            "dossier": payment.dossier.code or str(payment.dossier_id), **mismatch}  # fmt: skip


def paygov_reconcile(
    since: datetime | None = None, *, pending_minutes: int = 15, open_days: int = 30
) -> dict[str, Any]:
    """QUERY open and recently paid PayGov payments; apply, compare, report."""
    now = timezone.now()
    since = since or now - timedelta(days=1)
    report: dict[str, Any] = {
        "since": since.isoformat(), "checked": 0, "applied": [], "failed": [],
        "pending": [], "mismatches": [], "errors": [],
    }  # fmt: skip
    open_payments = _with_attempts().filter(
        status=PaymentStatus.REQUESTED,
        requested_at__lte=now - timedelta(minutes=pending_minutes),
        requested_at__gte=now - timedelta(days=open_days),
    )
    for payment in open_payments.order_by("pk"):
        report["checked"] += 1
        answers = paygov_answers(payment)
        outcome = paygov_settle(payment, answers)
        key = str(payment.reference)
        if not outcome.verified:
            report["errors"].append({"payment": key, "error": outcome.error})
        elif outcome.mismatch is not None:
            report["mismatches"].append(_row(payment, outcome.mismatch))
        elif outcome.payment is not None and outcome.payment.status == PaymentStatus.PAID:
            report["applied"].append(key)
        elif outcome.payment is not None and outcome.payment.status == PaymentStatus.FAILED:
            report["failed"].append(key)
        else:
            report["pending"].append(key)
    recent = _with_attempts().filter(status=PaymentStatus.PAID, paid_at__gte=since,
                                     gateway="paygov")  # fmt: skip
    applied = set(report["applied"])
    for payment in recent.order_by("pk"):
        if str(payment.reference) in applied:
            continue
        report["checked"] += 1
        _check_paid(payment, paygov_answers(payment), report)
    return report
