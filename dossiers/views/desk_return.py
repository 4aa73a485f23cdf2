"""The desk's two handovers around processing: the received dossier goes to
the resolving unit (§3 row 8), and the signed result goes back to the
applicant at the desk or by post (§3 row 16; online return is automatic).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import selectors_desk
from ..forms_processing import ReturnForm
from ..models import Dossier, Status
from ..selectors_casework import desk_return_dossier, desk_returns, signed_result_report
from ..services import DossierError
from ..services.closing import dossier_return
from ..services.processing import dossier_transfer
from .errors import form_error, service_error, service_error_message

PAGE_SIZE = 25


def _desk_dossier(request: HttpRequest, pk: int) -> Dossier:
    try:
        return desk_return_dossier(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """After receipt: hand the dossier to the resolving unit's first step."""
    dossier = _desk_dossier(request, pk)
    try:
        dossier = dossier_transfer(actor=request.user, dossier=dossier)
    except DossierError as error:
        messages.error(request, error.message)
        return redirect("dossiers:desk_check", pk=pk)
    step = dossier.current_step
    messages.success(
        request,
        _("Đã chuyển hồ sơ %(code)s đến %(agency)s: %(step)s.")
        % {
            "code": dossier.code,
            "agency": step.agency.name if step else dossier.processing_agency,
            "step": step.name if step and step.name else _("bước xử lý"),
        },
    )
    return redirect("dossiers:desk_check", pk=pk)


@never_cache
@login_required
@require_safe
def returns(request: HttpRequest) -> HttpResponse:
    if not selectors_desk.desk_agencies(request.user).exists():
        raise Http404
    page = Paginator(desk_returns(request.user), PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
    }
    return render(request, "dossiers/desk/returns.html", context)


def _return_page(
    request: HttpRequest, dossier: Dossier, form: ReturnForm, *, error=None, status: int = 200
) -> HttpResponse:
    context = {
        "dossier": dossier,
        "form": form,
        "error": error,
        "signed": signed_result_report(dossier),
        "can_return": dossier.status == Status.RESULT_READY,
    }
    return render(request, "dossiers/processing/return_form.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def return_result(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _desk_dossier(request, pk)
    initial = {
        "method": dossier.result_delivery,
        "returned_to": dossier.representative_name or dossier.applicant_name,
    }
    if request.method != "POST":
        return _return_page(request, dossier, ReturnForm(initial=initial))
    form = ReturnForm(request.POST, initial=initial)
    if not form.is_valid():
        return _return_page(request, dossier, form, error=form_error(form), status=400)
    data = form.cleaned_data
    try:
        dossier_return(
            actor=request.user, dossier=dossier, method=data["method"],
            returned_to=data["returned_to"], note=data["note"],
        )  # fmt: skip
    except DossierError as failure:
        # Post/redirect/get: a refresh shows the reason again, it does not resubmit.
        label = _("Trả kết quả")
        messages.error(request, service_error_message(label, service_error(failure)))
        return redirect("dossiers:desk_return", pk=pk)
    messages.success(
        request, _("Đã trả kết quả hồ sơ %(code)s và ghi vào sổ theo dõi.") % {"code": dossier.code}
    )
    return redirect("dossiers:desk_returns")


__all__ = ["return_result", "returns", "transfer"]
