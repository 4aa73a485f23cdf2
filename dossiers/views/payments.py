"""Online payment of a dossier's fees: start, simulated bank, callback, result.

Only the dossier's applicant may open the start, bank and result pages
(anyone else gets 404). The callback is the simulated gateway's signed answer:
it is CSRF-exempt, verified by :func:`payment_callback` (HMAC, amount, replay)
and then sends the browser to the result page. With PayGov configured, "pay"
opens the transaction at PayGov (INIT) and PayGov answers on its own endpoints
(integrations.views.paygov); both end on the same result page.
"""

from __future__ import annotations

import secrets
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from procedures.models import FeeKind

from ..forms_public import PaymentCallbackForm
from ..models import DossierDocument, Payment, PaymentStatus, RenderStatus
from ..selectors_public import payment_for_applicant, payment_receipt_document
from ..services import DossierError
from ..services import payments as payment_services
from ..services.payments import CallbackData, SimulatedGateway, get_gateway

FEE_KINDS = dict(FeeKind.choices)


def vnd(amount: int | None) -> str:
    """50000 → "50.000 đ" (Vietnamese grouping; Django's vi locale does not group)."""
    return f"{int(amount or 0):,} đ".replace(",", ".")


def _payment_context(payment: Payment) -> dict:
    fee_rows = [
        {"name": item.get("name", ""), "kind": FEE_KINDS.get(item.get("kind", ""), ""),
         "amount": vnd(item.get("amount_vnd"))}
        for item in payment.fee_items or []
    ]  # fmt: skip
    return {
        "payment": payment,
        "dossier": payment.dossier,
        "fee_rows": fee_rows,
        "amount": vnd(payment.amount_vnd),
    }


def _own_payment(request: HttpRequest, reference: uuid.UUID) -> Payment | None:
    try:
        return payment_for_applicant(request.user, reference)
    except Payment.DoesNotExist:
        return None


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "dossiers/payments/not_found.html", status=404)


def _refused(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "dossiers/payments/error.html", {"message": message}, status=status)


def _done(payment: Payment) -> HttpResponse:
    return redirect("dossiers:payment_done", reference=payment.reference)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def payment_start(request: HttpRequest, reference: uuid.UUID) -> HttpResponse:
    payment = _own_payment(request, reference)
    if payment is None:
        return _not_found(request)
    if payment.status != PaymentStatus.REQUESTED:
        return _done(payment)
    if request.method == "POST":
        try:
            # A remote gateway opens the transaction now (PayGov INIT) and may refuse.
            url = get_gateway().start_url(payment, client_ip=request.META.get("REMOTE_ADDR", ""))
        except DossierError as error:
            return _refused(request, str(error.message), status=502)
        return redirect(url)
    return render(request, "dossiers/payments/start.html", _payment_context(payment))


@never_cache
@login_required
@require_safe
def payment_simulator(request: HttpRequest, reference: uuid.UUID) -> HttpResponse:
    gateway = get_gateway()
    payment = _own_payment(request, reference)
    # With a real gateway configured, the stand-in bank does not exist.
    if payment is None or not isinstance(gateway, SimulatedGateway):
        return _not_found(request)
    if payment.status != PaymentStatus.REQUESTED:
        return _done(payment)
    choices = []
    for status, label, css in (
        ("paid", _("Xác nhận thanh toán"), "button"),
        ("failed", _("Hủy"), "button button-secondary"),
    ):
        transaction_ref = f"SIM{secrets.token_hex(8).upper()}"
        reference_text = str(payment.reference)
        choices.append(
            {
                "label": label,
                "css": css,
                "fields": {
                    "reference": reference_text,
                    "amount_vnd": payment.amount_vnd,
                    "status": status,
                    "transaction_ref": transaction_ref,
                    "signature": gateway.sign(
                        reference_text, payment.amount_vnd, status, transaction_ref
                    ),
                },
            }
        )
    context = {
        **_payment_context(payment),
        "choices": choices,
        "callback_url": reverse("dossiers:payment_callback"),
    }
    return render(request, "dossiers/payments/simulator.html", context)


@csrf_exempt  # the gateway's signed server-style callback; the HMAC is the protection
@never_cache
@require_POST
def payment_callback(request: HttpRequest) -> HttpResponse:
    form = PaymentCallbackForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, _("Dữ liệu xác nhận thanh toán không hợp lệ hoặc thiếu thông tin.")
        )
    data = form.cleaned_data
    try:
        payment = payment_services.payment_callback(
            CallbackData(
                reference=str(data["reference"]),
                amount_vnd=data["amount_vnd"],
                status=data["status"],
                transaction_ref=data["transaction_ref"],
                signature=data["signature"],
            )
        )
    except DossierError as error:
        return _refused(request, str(error.message))
    return _done(payment)


def _document_urls(document: DossierDocument | None) -> tuple[str | None, str | None]:
    """(download link when the PDF is ready, progress page while it renders)."""
    if document is None:
        return None, None
    name = "document_download" if document.status == RenderStatus.READY else "document_status"
    try:
        url = reverse(f"dossiers:{name}", args=[document.pk])
    except NoReverseMatch:
        return None, None
    return (url, None) if name == "document_download" else (None, url)


@never_cache
@login_required
@require_safe
def payment_done(request: HttpRequest, reference: uuid.UUID) -> HttpResponse:
    payment = _own_payment(request, reference)
    if payment is None:
        return _not_found(request)
    receipt = payment_receipt_document(payment) if payment.status == PaymentStatus.PAID else None
    receipt_url, receipt_status_url = _document_urls(receipt)
    context = {
        **_payment_context(payment),
        "paid": payment.status == PaymentStatus.PAID,
        "open": payment.status == PaymentStatus.REQUESTED,
        "can_retry": payment.status == PaymentStatus.FAILED,
        "receipt": receipt,
        "receipt_url": receipt_url,
        "receipt_status_url": receipt_status_url,
    }
    return render(request, "dossiers/payments/done.html", context)


@login_required
@require_POST
def payment_retry(request: HttpRequest, reference: uuid.UUID) -> HttpResponse:
    payment = _own_payment(request, reference)
    if payment is None:
        return _not_found(request)
    if payment.status != PaymentStatus.FAILED:
        return _done(payment)
    try:
        again = payment_services.payment_retry(dossier=payment.dossier)
    except DossierError as error:
        return _refused(request, str(error.message))
    if again is None:
        messages.info(request, _("Hồ sơ không còn khoản phí nào cần thanh toán."))
        return _done(payment)
    return redirect("dossiers:payment_start", reference=again.reference)
