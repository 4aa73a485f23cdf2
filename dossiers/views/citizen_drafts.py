"""The citizen's draft: starting an online submission, the e-form, and
handing the dossier in (first submission, resubmission, supplement).

The upload slots shown on the draft page are handled in ``citizen_uploads``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from procedures.models import ComponentRequirement, Procedure
from tthc_portal.accounts.oidc.assurance import sign_in_assurance

from .. import selectors_citizen as selectors
from ..forms_citizen import ACCEPTED_EXTENSIONS, DraftForm, StartForm, fee_amount, needs_commune
from ..models import Dossier, Status
from ..selectors import dossiers_for_applicant
from ..services import DossierError
from ..services.fees import dossier_fee_total
from ..services.submission import (
    dossier_create_draft,
    dossier_resubmit,
    dossier_submit,
    dossier_supplement,
    dossier_update_draft,
)
from .citizen import _own_dossier, _report

DRAFT_FIELDS = (
    "applicant_name", "applicant_phone", "applicant_email", "applicant_address",
    "representative_name", "representative_id_number", "representative_phone",
    "representative_authorisation", "request_content", "result_delivery",
)  # fmt: skip


def _max_upload_bytes() -> int:
    return int(settings.TTHC.get("MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


# --- start -----------------------------------------------------------------------


def _start_notice(procedure: Procedure) -> str:
    version = procedure.current_version
    if version is None or procedure.reception_locked:
        return _("Thủ tục này hiện không tiếp nhận hồ sơ mới.")
    if not version.accepts_online:
        return _(
            "Thủ tục này chưa cung cấp dịch vụ công trực tuyến. Vui lòng nộp hồ sơ trực tiếp "
            "hoặc qua bưu chính công ích tại Bộ phận Một cửa."
        )
    return ""


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def submit_start(request: HttpRequest, procedure_pk: int) -> HttpResponse:
    procedure = get_object_or_404(
        Procedure.objects.select_related(
            "current_version__implementing_agency", "current_version__field"
        ),
        pk=procedure_pk,
    )
    version = procedure.current_version
    context: dict[str, Any] = {"procedure": procedure, "version": version}
    if not request.user.is_applicant:
        context["refusal"] = _(
            "Tài khoản cán bộ không nộp hồ sơ trực tuyến tại trang này. Chỉ công dân, tổ chức "
            "đăng nhập bằng tài khoản của mình mới nộp được hồ sơ trực tuyến."
        )
        return render(request, "dossiers/citizen/start.html", context, status=403)
    notice = _start_notice(procedure)
    data = request.POST if request.method == "POST" else None
    form = StartForm(data, version=version) if version else None
    error: DossierError | None = None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            dossier = dossier_create_draft(
                actor=request.user,
                procedure=procedure,
                receiving_agency=form.cleaned_data.get("commune"),
            )
        except DossierError as refused:
            error = refused
        else:
            messages.success(
                request,
                _("Đã tạo hồ sơ nháp. Hãy kiểm tra tờ khai, tải lên giấy tờ rồi bấm “Nộp hồ sơ”."),
            )
            return redirect("dossiers:draft", pk=dossier.pk)
    context.update(
        {
            "form": form,
            "notice": notice,
            "error": error,
            "needs_commune": bool(version and needs_commune(version)),
            "drafts": dossiers_for_applicant(request.user).filter(
                procedure_version__procedure=procedure, status=Status.DRAFT
            )[:5],
        }
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "dossiers/citizen/start.html", context, status=status)


# --- the draft (e-form and upload slots) -------------------------------------------


def _draft_initial(request: HttpRequest, dossier: Dossier) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(dossier, name) for name in DRAFT_FIELDS}
    initial["applicant_id_number"] = request.user.identifier or dossier.applicant_id_number
    initial["fee_choice"] = dossier.form_data.get("fee_choice")
    return initial


def _slot_context(request: HttpRequest, dossier: Dossier) -> dict[str, Any]:
    return {
        "dossier": dossier,
        "personal_docs": list(selectors.personal_documents(request.user)[:100]),
        "max_bytes": _max_upload_bytes(),
        "accept": ACCEPTED_EXTENSIONS,
    }


def _render_draft(
    request: HttpRequest,
    dossier: Dossier,
    form: DraftForm,
    *,
    submit_error: DossierError | None = None,
    slot: ComponentRequirement | None = None,
    status: int = 200,
) -> HttpResponse:
    version = dossier.procedure_version
    fees = [{"fee": fee, "amount": fee_amount(fee)} for fee in selectors.version_fees(dossier)]
    requirements = selectors.requirements_with_components(dossier)
    if slot is not None:  # carry the slot's error or notice onto the fresh list
        for requirement in requirements:
            if requirement.pk == slot.pk:
                requirement.slot_error = getattr(slot, "slot_error", None)
    context = {
        **_slot_context(request, dossier),
        "version": version,
        "form": form,
        "fees": fees,
        "fixed_fees": [row for row in fees if not row["fee"].is_alternative],
        "has_tiers": any(row["fee"].is_alternative for row in fees),
        "fee_total": dossier_fee_total(dossier),
        "requirements": requirements,
        "supplements": selectors.open_supplement_requests(dossier),
        "submit_error": submit_error,
        "submit_label": _submit_label(dossier),
    }
    return render(request, "dossiers/citizen/draft.html", context, status=status)


def _submit_label(dossier: Dossier) -> str:
    if dossier.status == Status.DRAFT:
        return _("Nộp hồ sơ")
    if dossier.status == Status.AWAITING_COMPLETION:
        return _("Nộp lại hồ sơ")
    if dossier.status == Status.AWAITING_SUPPLEMENT:
        return _("Nộp bổ sung hồ sơ")
    return ""


def _submit(request: HttpRequest, dossier: Dossier) -> Dossier:
    if dossier.status == Status.AWAITING_COMPLETION:
        return dossier_resubmit(
            actor=request.user, dossier=dossier, assurance=sign_in_assurance(request)
        )
    if dossier.status == Status.AWAITING_SUPPLEMENT:
        # The clock resumes the moment the supplement is handed in.
        return dossier_supplement(actor=request.user, dossier=dossier)
    return dossier_submit(actor=request.user, dossier=dossier, assurance=sign_in_assurance(request))


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _own_dossier(request, pk)
    if dossier.status not in selectors.EDITABLE_STATUSES:
        messages.info(
            request,
            _("Hồ sơ ở trạng thái “%(s)s” không thể sửa.") % {"s": dossier.get_status_display()},
        )
        return redirect("dossiers:detail", pk=dossier.pk)
    fees = selectors.version_fees(dossier)
    initial = _draft_initial(request, dossier)
    if request.method != "POST":
        return _render_draft(request, dossier, DraftForm(initial=initial, fees=fees))

    submitting = request.POST.get("action") == "submit"
    form = DraftForm(request.POST, initial=initial, fees=fees, strict=submitting)
    if not form.is_valid():
        return _render_draft(request, dossier, form, status=400)
    try:
        dossier = dossier_update_draft(
            actor=request.user, dossier=dossier, data=form.service_data()
        )
        if submitting:
            dossier = _submit(request, dossier)
    except DossierError as error:
        dossier.refresh_from_db()
        return _render_draft(request, dossier, form, submit_error=error, status=400)
    if submitting:
        messages.success(
            request,
            _(
                "Đã nộp hồ sơ. Bộ phận Một cửa sẽ kiểm tra và tiếp nhận; kết quả kiểm tra "
                "được báo qua điện thoại, thư điện tử và tại trang này."
            ),
        )
        return redirect("dossiers:detail", pk=dossier.pk)
    messages.success(request, _("Đã lưu nháp hồ sơ. Bạn có thể quay lại soạn tiếp bất cứ lúc nào."))
    return redirect("dossiers:draft", pk=dossier.pk)


@login_required
@require_POST
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _own_dossier(request, pk)
    try:
        dossier_resubmit(actor=request.user, dossier=dossier)
    except DossierError as error:
        _report(request, error)
    else:
        messages.success(
            request, _("Đã nộp lại hồ sơ. Bộ phận Một cửa sẽ kiểm tra lại các nội dung đã bổ sung.")
        )
    return redirect("dossiers:detail", pk=dossier.pk)
