"""The citizen side of online submission: start, e-form, uploads, dossier page,
dashboard and personal data store.

Views only parse input, call a service and render or redirect. Every dossier
is looked up through the permission-scoped selectors, so another person's
dossier is a 404, never a 403 that would reveal that it exists.
"""

from __future__ import annotations

import html
import mimetypes
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParser
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.datastructures import ImmutableList
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from procedures.models import ComponentRequirement, Procedure

from .. import selectors_citizen as selectors
from ..forms_citizen import (
    ACCEPTED_EXTENSIONS,
    DraftForm,
    ReuseForm,
    StartForm,
    UploadForm,
    fee_amount,
    needs_commune,
)
from ..models import Dossier, DossierComponent, PersonalDocument, Status
from ..selectors import dossiers_for_applicant
from ..services import DossierError
from ..services.fees import dossier_fee_total
from ..services.submission import (
    component_attach,
    component_attach_from_store,
    component_remove,
    dossier_create_draft,
    dossier_resubmit,
    dossier_submit,
    dossier_supplement,
    dossier_update_draft,
)
from ..services.uploads import safe_filename
from ..workflow import TRANSITIONS

PAGE_SIZE = 20
DOCUMENT_FRAGMENT = "dossiers/documents/_status.html"
# History notes the applicant is meant to read (reasons and guidance).
PUBLIC_NOTE_ACTIONS = frozenset(
    {"request_completion", "refuse", "request_supplement", "reject", "stop", "withdraw"}
)
DRAFT_FIELDS = (
    "applicant_name", "applicant_phone", "applicant_email", "applicant_address",
    "representative_name", "representative_id_number", "representative_phone",
    "representative_authorisation", "request_content", "result_delivery",
)  # fmt: skip


# --- helpers ----------------------------------------------------------------------


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _max_upload_bytes() -> int:
    return int(settings.TTHC.get("MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def _own_dossier(request: HttpRequest, pk: int) -> Dossier:
    try:
        return selectors.my_dossier(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404(_("Không tìm thấy hồ sơ.")) from None


def _report(request: HttpRequest, error: DossierError) -> None:
    messages.error(request, error.message)
    for detail in error.errors:
        messages.error(request, detail)


def _stream(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("Không tìm thấy tệp.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


class _PathAwareParser(MultiPartParser):
    """Django drops the directories of an uploaded file's name before anyone
    sees it. Browsers never send a path, so a name that carried one is a
    crafted request: remember it, so the upload check refuses the file with
    its own message instead of silently storing it."""

    def __init__(self, *args: Any, carried_path: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.carried_path = carried_path

    def sanitize_file_name(self, file_name: str) -> str | None:
        clean = super().sanitize_file_name(file_name)
        unescaped = html.unescape(file_name)
        if clean and ("/" in unescaped or "\\" in unescaped):
            self.carried_path[clean] = unescaped
        return clean


def _keep_path_names(request: HttpRequest) -> dict[str, str]:
    """Install the parser; must run before anything reads request.POST/FILES."""
    carried: dict[str, str] = {}

    def parse_file_upload(meta: dict[str, Any], post_data: Any) -> tuple[Any, Any]:
        request.upload_handlers = ImmutableList(request.upload_handlers)
        parser = _PathAwareParser(
            meta, post_data, request.upload_handlers, request.encoding, carried_path=carried
        )
        return parser.parse()

    request.parse_file_upload = parse_file_upload
    return carried


class _AsSent:
    """The uploaded file under the exact name the client sent."""

    def __init__(self, upload: Any, name: str) -> None:
        self._upload = upload
        self.name = name
        self.size = upload.size

    def read(self, size: int = -1) -> bytes:
        return self._upload.read(size)


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
        return dossier_resubmit(actor=request.user, dossier=dossier)
    if dossier.status == Status.AWAITING_SUPPLEMENT:
        # The clock resumes the moment the supplement is handed in.
        return dossier_supplement(actor=request.user, dossier=dossier)
    return dossier_submit(actor=request.user, dossier=dossier)


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


def _slot_response(
    request: HttpRequest,
    dossier: Dossier,
    requirement: ComponentRequirement,
    *,
    notice: str = "",
    error: DossierError | None = None,
) -> HttpResponse:
    """htmx: the slot re-rendered in place. Without JS: back to the page."""
    if _is_htmx(request):
        slot = selectors.requirement_with_components(dossier, requirement.pk)
        slot.slot_error = error
        slot.slot_notice = notice
        context = {**_slot_context(request, dossier), "requirement": slot}
        return render(request, "dossiers/citizen/_slot.html", context)
    if error is None:
        messages.success(request, notice)
        return redirect(reverse("dossiers:draft", args=[dossier.pk]) + f"#slot-{requirement.pk}")
    dossier.refresh_from_db()
    if dossier.status not in selectors.EDITABLE_STATUSES:
        _report(request, error)
        return redirect("dossiers:detail", pk=dossier.pk)
    requirement.slot_error = error
    form = DraftForm(initial=_draft_initial(request, dossier), fees=selectors.version_fees(dossier))
    return _render_draft(request, dossier, form, slot=requirement, status=400)


def _slot_of(dossier: Dossier, requirement_pk: int) -> ComponentRequirement:
    try:
        return dossier.procedure_version.components.get(pk=requirement_pk)
    except ComponentRequirement.DoesNotExist:
        raise Http404(_("Thành phần hồ sơ không thuộc thủ tục này.")) from None


@csrf_exempt  # checked by csrf_protect below, once the parser is installed
@login_required
@require_POST
def upload(request: HttpRequest, pk: int, requirement_pk: int) -> HttpResponse:
    carried_path = _keep_path_names(request)
    return _upload(request, pk=pk, requirement_pk=requirement_pk, carried_path=carried_path)


@csrf_protect
def _upload(
    request: HttpRequest, *, pk: int, requirement_pk: int, carried_path: dict[str, str]
) -> HttpResponse:
    dossier = _own_dossier(request, pk)
    requirement = _slot_of(dossier, requirement_pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        error = DossierError(form.errors["file"][0])
        return _slot_response(request, dossier, requirement, error=error)
    sent = form.cleaned_data["file"]
    if sent.name in carried_path:
        sent = _AsSent(sent, carried_path[sent.name])
    try:
        component = component_attach(
            actor=request.user, dossier=dossier, requirement_id=requirement.pk, upload=sent
        )
    except DossierError as error:
        return _slot_response(request, dossier, requirement, error=error)
    notice = _("Đã tải lên “%(name)s”.") % {"name": component.original_filename}
    return _slot_response(request, dossier, requirement, notice=notice)


@login_required
@require_POST
def reuse(request: HttpRequest, pk: int, requirement_pk: int) -> HttpResponse:
    dossier = _own_dossier(request, pk)
    requirement = _slot_of(dossier, requirement_pk)
    form = ReuseForm(request.POST, documents=selectors.personal_documents(request.user))
    if not form.is_valid():
        error = DossierError(form.errors["personal_document"][0])
        return _slot_response(request, dossier, requirement, error=error)
    document: PersonalDocument = form.cleaned_data["personal_document"]
    try:
        component_attach_from_store(
            actor=request.user,
            dossier=dossier,
            requirement_id=requirement.pk,
            personal_document=document,
        )
    except DossierError as error:
        return _slot_response(request, dossier, requirement, error=error)
    notice = _("Đã dùng “%(title)s” từ kho dữ liệu cá nhân.") % {"title": document.title}
    return _slot_response(request, dossier, requirement, notice=notice)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, component_pk: int) -> HttpResponse:
    dossier = _own_dossier(request, pk)
    component = get_object_or_404(
        DossierComponent.objects.select_related("requirement"), dossier=dossier, pk=component_pk
    )
    requirement = component.requirement
    name = component.original_filename
    try:
        component_remove(actor=request.user, component=component)
    except DossierError as error:
        if requirement is None:
            _report(request, error)
            return redirect("dossiers:draft", pk=dossier.pk)
        return _slot_response(request, dossier, requirement, error=error)
    notice = _("Đã xóa tệp “%(name)s”.") % {"name": name}
    if requirement is None:
        messages.success(request, notice)
        return redirect("dossiers:draft", pk=dossier.pk)
    return _slot_response(request, dossier, requirement, notice=notice)


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


# --- the dossier page -----------------------------------------------------------


def _documents_fragment() -> str | None:
    """The documents engineer's status fragment, when it is installed."""
    try:
        get_template(DOCUMENT_FRAGMENT)
    except TemplateDoesNotExist:
        return None
    return DOCUMENT_FRAGMENT


def _payment_url(payment) -> str | None:
    if payment is None:
        return None
    try:
        return reverse("dossiers:payment_start", args=[payment.reference])
    except NoReverseMatch:
        return None


def _history_rows(dossier: Dossier) -> list[dict[str, Any]]:
    labels = dict(Status.choices)
    rows = []
    for entry in dossier.history.all():
        transition = TRANSITIONS.get(entry.action)
        rows.append(
            {
                "at": entry.at,
                "action": transition.label if transition else entry.action,
                "status": labels.get(entry.to_status, entry.to_status),
                "note": entry.note if entry.action in PUBLIC_NOTE_ACTIONS else "",
            }
        )
    return rows


@never_cache
@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        dossier = selectors.dossier_page(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404(_("Không tìm thấy hồ sơ.")) from None
    payment = selectors.open_payment(dossier)
    context = {
        "dossier": dossier,
        "version": dossier.procedure_version,
        "status_text": selectors.citizen_status_text(dossier),
        "status_css": selectors.STATUS_CSS.get(dossier.status, "muted"),
        "supplements": selectors.open_supplement_requests(dossier),
        "payment": payment,
        "payment_url": _payment_url(payment),
        "documents_fragment": _documents_fragment(),
        "history": _history_rows(dossier),
        "can_edit": dossier.status in selectors.EDITABLE_STATUSES,
        "can_resubmit": dossier.status == Status.AWAITING_COMPLETION,
    }
    return render(request, "dossiers/citizen/detail.html", context)


# --- downloads ----------------------------------------------------------------------


@login_required
@require_safe
def component_download(request: HttpRequest, pk: int, component_pk: int) -> FileResponse:
    try:
        component = selectors.component_for_user(request.user, pk, component_pk)
    except (Dossier.DoesNotExist, DossierComponent.DoesNotExist):
        raise Http404(_("Không tìm thấy giấy tờ.")) from None
    return _stream(
        component.file,
        filename=safe_filename(component.original_filename),
        content_type=component.content_type or "application/octet-stream",
    )


@login_required
@require_safe
def personal_download(request: HttpRequest, pk: int) -> FileResponse:
    try:
        document = selectors.personal_document_for_owner(request.user, pk)
    except PersonalDocument.DoesNotExist:
        raise Http404(_("Không tìm thấy giấy tờ.")) from None
    filename = safe_filename(document.title)
    extension = mimetypes.guess_extension(document.content_type or "") or ""
    if extension == ".jpe":
        extension = ".jpg"
    if extension and not filename.lower().endswith(extension):
        filename = f"{filename[:110]}{extension}"
    return _stream(
        document.file,
        filename=filename,
        content_type=document.content_type or "application/octet-stream",
    )


# --- lists --------------------------------------------------------------------------


@login_required
@require_safe
def my_dossiers(request: HttpRequest) -> HttpResponse:
    group = request.GET.get("nhom", "")
    if group not in selectors.GROUPS_BY_KEY:
        group = ""
    page = Paginator(selectors.my_dossiers(request.user, group), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    counts = selectors.group_counts(request.user)
    groups = [("", _("Tất cả"), counts[""])] + [
        (g.key, g.label, counts[g.key]) for g in selectors.STATUS_GROUPS
    ]
    rows = list(page.object_list)
    for dossier in rows:
        dossier.status_css = selectors.STATUS_CSS.get(dossier.status, "muted")
    context = {"page": page, "rows": rows, "group": group, "groups": groups}
    return render(request, "dossiers/citizen/my_dossiers.html", context)


@login_required
@require_safe
def personal_store(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.personal_documents(request.user), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(request, "dossiers/citizen/personal_store.html", {"page": page})
