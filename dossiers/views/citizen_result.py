"""The citizen's side of the outcome: the signed e-result (download and its
signature check) and the request to withdraw a dossier.

Only the applicant's own dossiers are reachable (``my_dossier``); anything
else is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from .. import selectors_citizen
from ..forms_processing import WithdrawForm
from ..models import Dossier
from ..selectors_casework import WITHDRAWABLE, signed_result_report
from ..services import DossierError
from ..services.closing import dossier_withdraw
from ..services.results import signed_result
from .documents import download_filename

WITHDRAW_CHANNEL = "Cổng dịch vụ công"


def _own_dossier(request: HttpRequest, pk: int) -> Dossier:
    try:
        return selectors_citizen.my_dossier(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404(_("Không tìm thấy hồ sơ.")) from None


@never_cache
@login_required
@require_safe
def result(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed result and the full report of its signature check."""
    dossier = _own_dossier(request, pk)
    signed = signed_result_report(dossier)
    if signed is None:
        raise Http404(_("Hồ sơ chưa có kết quả đã ký số."))
    return render(
        request, "dossiers/processing/citizen_result.html", {"dossier": dossier, "signed": signed}
    )


@login_required
@require_safe
def result_download(request: HttpRequest, pk: int) -> FileResponse:
    """Only the signed e-result: a draft is never handed to the applicant."""
    dossier = _own_dossier(request, pk)
    document = signed_result(dossier)
    if document is None or not document.file:
        raise Http404(_("Hồ sơ chưa có kết quả đã ký số."))
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError:
        raise Http404(_("Không tìm thấy tệp kết quả.")) from None
    document.dossier = dossier
    response = FileResponse(
        handle, as_attachment=True, filename=download_filename(document),
        content_type="application/pdf",
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Reason → confirmation → withdrawal (Decree 118/2025 Art. 21)."""
    dossier = _own_dossier(request, pk)
    if dossier.status not in WITHDRAWABLE:
        messages.info(
            request,
            _("Hồ sơ ở trạng thái “%(s)s” không thể rút.") % {"s": dossier.get_status_display()},
        )
        return redirect("dossiers:detail", pk=pk)
    context = {"dossier": dossier, "confirming": False, "error": None}
    if request.method != "POST":
        context["form"] = WithdrawForm()
        return render(request, "dossiers/citizen/withdraw.html", context)
    form = WithdrawForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "dossiers/citizen/withdraw.html", context, status=400)
    if not form.cleaned_data["confirmed"] or request.POST.get("action") == "edit":
        # First step: show the reason back and ask for confirmation.
        context["confirming"] = request.POST.get("action") != "edit"
        return render(request, "dossiers/citizen/withdraw.html", context)
    try:
        dossier_withdraw(
            actor=request.user, dossier=dossier, reason=form.cleaned_data["reason"],
            channel=WITHDRAW_CHANNEL,
        )  # fmt: skip
    except DossierError as failure:
        context["error"] = failure
        return render(request, "dossiers/citizen/withdraw.html", context, status=400)
    messages.success(
        request,
        _(
            "Đã rút hồ sơ. Cơ quan giải quyết dừng xử lý; Thông báo dừng giải quyết hồ sơ "
            "(mẫu 05) được đăng ở trang hồ sơ."
        ),
    )
    return redirect("dossiers:detail", pk=pk)


__all__ = ["result", "result_download", "withdraw"]
