"""PayGov's two ways back to the portal.

``paygov_notify``: the server-to-server confirmation (JSON POST, CSRF-exempt:
MaXacThuc is the protection). ``paygov_return``: the citizen's browser, with
the same fields as query parameters — recorded and verified, but it never
marks a payment paid by itself: it shows what PayGov's own message recorded,
or QUERYs PayGov when that message has not arrived."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from dossiers.models import PaymentStatus

from ..paygov.services import paygov_confirmation_receive, paygov_settle

# MaLoi of the portal's answer to PayGov.
ACCEPTED, BAD_MAC, UNKNOWN, REFUSED = "00", "01", "02", "03"


@csrf_exempt
@never_cache
@require_POST
def paygov_notify(request: HttpRequest) -> JsonResponse:
    try:
        raw = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raw = {}
    if not isinstance(raw, dict):
        raw = {}
    outcome = paygov_confirmation_receive(raw, via="IPN")
    if not outcome.verified:
        code = BAD_MAC
    elif outcome.payment is None:
        code = UNKNOWN
    elif outcome.error:
        code = REFUSED
    else:
        code = ACCEPTED
    status = 200 if code == ACCEPTED else 400
    return JsonResponse({"MaLoi": code, "MoTaLoi": outcome.error}, status=status)


@never_cache
@require_safe
def paygov_return(request: HttpRequest) -> HttpResponse:
    outcome = paygov_confirmation_receive(request.GET, via="RETURN")
    payment = outcome.payment
    if not outcome.verified or payment is None:
        message = outcome.error or _("Dữ liệu xác nhận thanh toán không hợp lệ.")
        return render(request, "dossiers/payments/error.html", {"message": message}, status=400)
    if payment.status == PaymentStatus.REQUESTED:
        settled = paygov_settle(payment)
        if settled.error and settled.mismatch is not None:  # the amount PayGov took differs
            return render(
                request, "dossiers/payments/error.html", {"message": settled.error}, status=400
            )
    return redirect("dossiers:payment_done", reference=payment.reference)
