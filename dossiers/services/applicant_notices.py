"""What the applicant is told: the context of every ``dossier.*`` message, and
the two messages no transition flag sends (the submission confirmation, and
the payment confirmation, which is not a transition at all).

Every message names the dossier (its code once there is one, and the
procedure) and links to it; the wording is data (``dossiers.defaults.TEMPLATES``,
editable in the admin).
"""

from __future__ import annotations

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from ..models import Dossier, Payment, PaymentStatus, SupplementRequest, SupplementState
from ..signals import dossier_header_changed, dossier_transitioned

# Transitions whose confirmation goes out at once, without the workflow table's
# notify flag (that flag means "the office did something the applicant must hear
# about"; here the applicant did, and is owed a receipt with the tracking link).
CONFIRMED_ACTIONS = frozenset({"submit", "resubmit"})
SUPPLEMENT_ACTIONS = frozenset({"request_completion", "request_supplement"})


def dossier_links(dossier: Dossier) -> tuple[str, str]:
    """(link for the message, public lookup link with the dossier's token).

    An applicant with an account is sent to their own dossier page (where they
    pay, supplement, withdraw); anyone else — a counter applicant, a dossier
    from the national portal — to the status page opened by the token, which
    needs no sign-in and shows no more than the paper receipt's QR code does."""
    site = settings.TTHC.get("SITE_URL", "").rstrip("/")
    lookup = f"{site}/tra-cuu/{dossier.lookup_token}/"
    if dossier.applicant_id is not None:
        return f"{site}/ho-so/{dossier.pk}/", lookup
    return lookup, lookup


def _latest_supplement(dossier: Dossier) -> SupplementRequest | None:
    return (
        dossier.supplement_requests.filter(state=SupplementState.ISSUED, requested_at__isnull=False)
        .order_by("-requested_at", "-pk")
        .first()
    )


def _supplement_context(dossier: Dossier) -> dict:
    request = _latest_supplement(dossier)
    items = list(request.items or []) if request else []
    lines = []
    for number, item in enumerate(items, start=1):
        reason = (item.get("reason") or "").strip()
        lines.append(f"{number}. {item.get('name', '')}" + (f": {reason}" if reason else ""))
    return {
        "items": items,
        "items_text": "\n".join(lines),
        "items_short": "; ".join(str(item.get("name", "")) for item in items),
        "note": request.note if request else "",
    }


def _amount_text(amount: int | None) -> str:
    # Vietnamese grouping: 1.500.000
    return f"{amount:,}".replace(",", ".") if amount else ""


def _payment_context(dossier: Dossier, action: str, payment: Payment | None) -> dict:
    if payment is None:
        status = PaymentStatus.PAID if action == "payment_paid" else PaymentStatus.REQUESTED
        payment = dossier.payments.filter(status=status).order_by("-pk").first()
    if payment is None:
        return {}
    return {
        "payment": payment,
        "amount": _amount_text(payment.amount_vnd),
        "receipt_no": payment.receipt_no,
        "paid_at": timezone.localtime(payment.paid_at) if payment.paid_at else None,
    }


def _reason(dossier: Dossier, action: str) -> str:
    if action == "refuse":
        return dossier.refusal_reason
    if action in ("stop", "withdraw"):
        return dossier.stop_reason
    if action == "issue_apology":
        apology = getattr(dossier, "apology", None)
        return apology.reason if apology is not None else ""
    return ""


def applicant_context(dossier: Dossier, action: str, *, payment: Payment | None = None) -> dict:
    """Everything a ``dossier.<action>`` template may name (a few queries, only
    for the kinds that need them)."""
    link, lookup_link = dossier_links(dossier)
    context = {
        "dossier": dossier,
        "code": dossier.code or "",
        "procedure": dossier.procedure_version.name,
        "name": dossier.applicant_name,
        "agency": dossier.receiving_agency.name,
        "due_at": timezone.localtime(dossier.due_at) if dossier.due_at else None,
        "submitted_at": timezone.localtime(dossier.submitted_at) if dossier.submitted_at else None,
        "now": timezone.localtime(),
        "site": settings.TTHC.get("SITE_URL", ""),
        "link": link,
        "lookup_link": lookup_link,
        "reason": _reason(dossier, action),
        "items": [],
        "items_text": "",
        "items_short": "",
        "note": "",
    }
    if action in SUPPLEMENT_ACTIONS:
        context.update(_supplement_context(dossier))
    if action == "issue_apology":
        apology = getattr(dossier, "apology", None)
        if apology is not None:
            context["original_due_at"] = timezone.localtime(apology.original_due_at)
    if action.startswith("payment_"):
        context.update(_payment_context(dossier, action, payment))
    return context


@receiver(dossier_transitioned, dispatch_uid="dossiers-applicant-confirmation")
def _confirm_submission(sender, *, dossier: Dossier, history, action: str, **kwargs) -> None:
    """The confirmation of a submission, in the same transaction (same dedupe
    key as a transition's own notice, so a flag set later cannot double it)."""
    if action in CONFIRMED_ACTIONS:
        from .lifecycle import notify_applicant

        notify_applicant(dossier, action, event=f"h{history.pk}")


@receiver(dossier_header_changed, dispatch_uid="dossiers-applicant-payment")
def _confirm_payment(sender, *, dossier: Dossier, reason: str, **kwargs) -> None:
    """Fees received (online gateway or at the desk): one message per payment."""
    if reason != "payment":
        return
    payment = dossier.payments.filter(status=PaymentStatus.PAID).order_by("-paid_at", "-pk").first()
    if payment is None:
        return
    from .lifecycle import notify_applicant

    notify_applicant(dossier, "payment_paid", event=f"p{payment.pk}", payment=payment)
