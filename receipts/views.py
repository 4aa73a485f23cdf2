"""Fees at the counter and their electronic receipts.

Desk officers holding ``receive_dossiers`` on the dossier's receiving agency record a
payment, see the receipts, correct them (notice, replacement, technical void) and
send a failed one again; anyone else gets 404. The applicant downloads a usable
receipt's signed PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dossiers.models import Dossier, PaymentStatus
from dossiers.selectors_desk import desk_dossier
from dossiers.services import DossierError
from dossiers.services.fees import dossier_fee_items
from dossiers.services.payments import payment_record_at_desk

from . import selectors
from .forms import CollectForm, CorrectionForm
from .models import Receipt
from .services import ReceiptError, receipt_notice, receipt_replace, receipt_retry, receipt_void


def _dossier_or_404(request: HttpRequest, pk: int) -> Dossier:
    try:
        return desk_dossier(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


def _receipt_or_404(request: HttpRequest, pk: int) -> Receipt:
    try:
        return selectors.receipt_for_desk(request.user, pk)
    except Receipt.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def desk_collect(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier_or_404(request, pk)
    points = selectors.desk_points(dossier)
    form = CollectForm(request.POST or None, points=points)
    error, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _payment, receipt = payment_record_at_desk(
                    dossier=dossier, actor=request.user, method=form.cleaned_data["method"],
                    point_code=form.cleaned_data.get("point") or "",
                )  # fmt: skip
            except DossierError as exc:
                error, status = exc.message, 400
            else:
                if receipt is None:
                    messages.warning(request, _(
                        "Đã ghi nhận thu phí nhưng chưa có dải số biên lai cho điểm thu này; "
                        "báo quản trị cấu hình dải số."
                    ))  # fmt: skip
                else:
                    messages.success(
                        request, _("Đã ghi nhận thu phí; biên lai điện tử đang được phát hành.")
                    )
                return redirect("receipts:desk_collect", pk=dossier.pk)
        else:
            error, status = _("Vui lòng chọn hình thức thu."), 400
    fees = dossier_fee_items(dossier)
    context = {
        "dossier": dossier,
        "fees": fees,
        "fee_total": sum(item["amount_vnd"] for item in fees),
        "paid": dossier.payments.filter(status=PaymentStatus.PAID).first(),
        "receipts": selectors.dossier_receipts(dossier),
        "form": form,
        "has_points": bool(points),
        "error": error,
    }
    return render(request, "receipts/desk_collect.html", context, status=status)


def _detail(request: HttpRequest, receipt: Receipt, form=None, error=None, status=200):
    context = {
        "receipt": receipt,
        "dossier": receipt.dossier,
        "form": form or CorrectionForm(fee_items=receipt.fee_items),
        "error": error,
    }
    return render(request, "receipts/detail.html", context, status=status)


@login_required
@require_safe
def receipt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _receipt_or_404(request, pk))


@login_required
@require_POST
def receipt_correct(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = _receipt_or_404(request, pk)
    form = CorrectionForm(request.POST, fee_items=receipt.fee_items)
    if not form.is_valid():
        return _detail(request, receipt, form, _("Vui lòng sửa các lỗi bên dưới."), 400)
    data = form.cleaned_data
    try:
        if data["action"] == "notice":
            receipt_notice(receipt=receipt, field=data["field"], new_value=data["new_value"],
                           reason=data["reason"], actor=request.user)  # fmt: skip
            messages.success(request, _("Đã lập thông báo sai sót."))
        elif data["action"] == "replace":
            new = receipt_replace(receipt=receipt, items=form.replacement_items(),
                                  reason=data["reason"], actor=request.user)  # fmt: skip
            messages.success(request, _("Đã lập biên lai thay thế."))
            return redirect("receipts:receipt_detail", pk=new.pk)
        else:
            receipt_void(receipt=receipt, reason=data["reason"], actor=request.user,
                         refund=data["refund"])  # fmt: skip
            messages.success(request, _("Đã hủy biên lai."))
    except ReceiptError as exc:
        return _detail(request, _receipt_or_404(request, pk), form, exc.message, 400)
    return redirect("receipts:receipt_detail", pk=receipt.pk)


@login_required
@require_POST
def receipt_send_again(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = _receipt_or_404(request, pk)
    try:
        receipt_retry(receipt=receipt, actor=request.user)
    except ReceiptError as exc:
        return _detail(request, receipt, error=exc.message, status=400)
    messages.success(request, _("Đã gửi lại biên lai cho nhà cung cấp."))
    return redirect("receipts:receipt_detail", pk=receipt.pk)


@login_required
@require_safe
def receipt_download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        receipt = selectors.receipt_for_download(request.user, pk)
    except Receipt.DoesNotExist:
        raise Http404 from None
    name = f"bien-lai-{receipt.receipt_symbol}-{receipt.number_text}.pdf"
    return FileResponse(receipt.pdf.open("rb"), as_attachment=True, filename=name,
                        content_type="application/pdf")  # fmt: skip
