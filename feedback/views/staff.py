"""The PAKN workspace: inbox, entry of letters and calls, handling, report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tthc_portal.agencies.selectors import agencies_for_user
from tthc_portal.tabular import XLSX_TYPE

from .. import selectors
from ..forms import (
    AnswerForm,
    ClassifyForm,
    ConfirmForm,
    ForwardForm,
    ForwardOutForm,
    NoteForm,
    ReportForm,
    RequestInfoForm,
    StaffEntryForm,
    SupplementForm,
    TransferForm,
    add_service_errors,
    half_year,
)
from ..models import OPEN_STATUSES, AlertLevel, Category, Feedback, Status
from ..services import FeedbackError
from ..services import pakn as services
from ..services.reports import REPORT_COLUMNS, report_csv, report_rows, report_xlsx
from ..workflow import TRANSITIONS, actions_for
from .public import PUBLIC_FIELDS

PAGE_SIZE = 25


def _staff_only(request: HttpRequest) -> None:
    if not agencies_for_user(request.user).exists():
        raise PermissionDenied


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    status = request.GET.get("trang_thai") or "open"
    alert = request.GET.get("canh_bao") or None
    query = (request.GET.get("q") or "").strip()
    items = selectors.staff_inbox(request.user, status=status, alert=alert, query=query)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "feedback/staff/inbox.html",
        {
            "page": page,
            "status": status,
            "alert": alert,
            "query": query,
            "statuses": [("open", _("Đang mở")), *Status.choices, ("all", _("Tất cả"))],
            "alerts": [
                (AlertLevel.DUE_SOON, AlertLevel.DUE_SOON.label),
                (AlertLevel.OVERDUE, AlertLevel.OVERDUE.label),
            ],
            "now": timezone.now(),
            "can_enter": True,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest) -> HttpResponse:
    """Letters, calls, emails, faxes and transfers are entered here (Decision 31/2021 Art. 43)."""
    _staff_only(request)
    agencies = agencies_for_user(request.user).filter(is_active=True).order_by("path")
    form = StaffEntryForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in PUBLIC_FIELDS}
        data["transferred_from"] = form.cleaned_data.get("transferred_from")
        try:
            item = services.feedback_submit(
                data=data,
                attachments=form.cleaned_data.get("attachments") or [],
                actor=request.user,
                channel=form.cleaned_data["channel"],
                receiving_agency=form.cleaned_data["receiving_agency"],
                received_at=form.cleaned_data["received_at"],
            )
        except FeedbackError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã nhập PAKN %(code)s.") % {"code": item.code})
            return redirect("feedback:staff_detail", pk=item.pk)
    return render(request, "feedback/staff/enter.html", {"form": form})


# --- the item page and its actions ----------------------------------------------------------

# action → (form class, needs the item's province for choices)
ACTION_FORMS: dict[str, type] = {
    "classify": ClassifyForm,
    "forward": ForwardForm,
    "forward_out": ForwardOutForm,
    "request_info": RequestInfoForm,
    "supplement": SupplementForm,
    "answer": AnswerForm,
    "return_to_office": NoteForm,
    "return_answer": NoteForm,
    "receive_transfer": TransferForm,
    "approve_publication": ConfirmForm,
    "publish": ConfirmForm,
}


def _form(action: str, item: Feedback, data=None):
    form_class = ACTION_FORMS[action]
    if form_class is ForwardForm:
        return form_class(data, province=item.receiving_agency, prefix=action)
    initial = {}
    if action == "classify":
        initial = {"category": item.category or None, "subject": item.subject}
    if action == "answer":
        initial = {"answer": item.answer}
    return form_class(data, prefix=action, initial=initial)


def available_actions(user, item: Feedback) -> list[str]:
    """The actions the table allows from this status that this user may take."""
    capabilities = services.actor_capabilities(user, item)
    actions = []
    for action in actions_for(item, capabilities):
        # "refuse" is offered as the class "not accepted" of the classify form.
        if action not in ACTION_FORMS:
            continue
        if action in ("forward", "forward_out") and not item.category:
            continue
        if action == "forward_out" and item.category not in (
            Category.REGULATION_OUT_OF_SCOPE,
            Category.IMPLEMENTATION_BEHAVIOUR,
        ):
            continue
        if action == "request_info" and item.supplement_requested_at is not None:
            continue
        if action == "return_to_office" and item.agency_id == item.receiving_agency_id:
            continue
        actions.append(action)
    return actions


def _run(action: str, user, item: Feedback, data: dict[str, Any]) -> Feedback:
    calls: dict[str, Callable[[], Feedback]] = {
        "classify": lambda: services.feedback_classify(
            actor=user,
            item=item,
            category=data["category"],
            subject=data.get("subject") or "",
            reason=data.get("reason") or "",
            field=data.get("field"),
        ),
        "forward": lambda: services.feedback_forward(
            actor=user, item=item, agency=data["agency"], note=data.get("note") or ""
        ),
        "forward_out": lambda: services.feedback_forward_out(
            actor=user, item=item, recipient=data["recipient"], note=data.get("note") or ""
        ),
        "request_info": lambda: services.feedback_request_info(
            actor=user, item=item, request=data["request"]
        ),
        "supplement": lambda: services.feedback_supplement(
            actor=user, item=item, response=data["response"]
        ),
        "answer": lambda: services.feedback_answer(actor=user, item=item, answer=data["answer"]),
        "return_to_office": lambda: services.feedback_return_to_office(
            actor=user, item=item, note=data["note"]
        ),
        "return_answer": lambda: services.feedback_return_answer(
            actor=user, item=item, note=data["note"]
        ),
        "receive_transfer": lambda: services.feedback_receive_transfer(
            actor=user, item=item, from_body=data["from_body"]
        ),
        "approve_publication": lambda: services.feedback_approve_publication(actor=user, item=item),
        "publish": lambda: services.feedback_publish(actor=user, item=item),
    }
    return calls[action]()


DONE_MESSAGES = {
    "classify": gettext_lazy("Đã phân loại PAKN."),
    "forward": gettext_lazy("Đã chuyển đơn vị xử lý."),
    "forward_out": gettext_lazy("Đã chuyển cơ quan có thẩm quyền."),
    "request_info": gettext_lazy("Đã gửi đề nghị bổ sung thông tin cho người gửi."),
    "supplement": gettext_lazy("Đã ghi nhận thông tin bổ sung."),
    "answer": gettext_lazy("Đã gửi nội dung trả lời."),
    "return_to_office": gettext_lazy("Đã trả lại nơi tiếp nhận."),
    "return_answer": gettext_lazy("Đã trả lại câu trả lời để đơn vị hoàn thiện."),
    "receive_transfer": gettext_lazy("Đã nhận PAKN được chuyển đến; thời hạn được tính lại."),
    "approve_publication": gettext_lazy("Đã duyệt kết quả; chờ công khai."),
    "publish": gettext_lazy("Đã công khai kết quả xử lý."),
}


def _item_or_404(request: HttpRequest, pk: int) -> Feedback:
    try:
        return selectors.feedback_for_user(request.user, pk)
    except Feedback.DoesNotExist:
        raise Http404 from None


def _detail(request: HttpRequest, item: Feedback, bound: dict | None = None, status: int = 200):
    actions = available_actions(request.user, item)
    forms = {action: _form(action, item) for action in actions}
    if bound:
        forms.update(bound)
    return render(
        request,
        "feedback/staff/detail.html",
        {
            "item": item,
            "actions": [(a, TRANSITIONS[a].label, forms[a]) for a in actions],
            "now": timezone.now(),
            "open": item.status in OPEN_STATUSES,
        },
        status=status,
    )


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _item_or_404(request, pk))


@login_required
@require_POST
def action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = _item_or_404(request, pk)
    if action not in ACTION_FORMS:
        raise Http404
    if action not in available_actions(request.user, item):
        if not services.actor_capabilities(request.user, item) & TRANSITIONS[action].actors:
            raise PermissionDenied
        messages.error(
            request,
            _("Không thể “%(a)s”: PAKN đang ở trạng thái “%(s)s”.")
            % {"a": TRANSITIONS[action].label, "s": item.get_status_display()},
        )
        return redirect("feedback:staff_detail", pk=pk)
    form = _form(action, item, request.POST)
    if form.is_valid():
        try:
            _run(action, request.user, item, form.cleaned_data)
        except FeedbackError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, DONE_MESSAGES[action])
            return redirect("feedback:staff_detail", pk=pk)
    messages.error(request, _("Chưa thực hiện được: vui lòng xem lỗi bên dưới."))
    return _detail(request, item, {action: form}, status=400)


@login_required
@require_safe
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    item = _item_or_404(request, pk)
    file = item.attachments.filter(pk=attachment_pk).first()
    if file is None:
        raise Http404
    response = FileResponse(
        file.file.open("rb"),
        as_attachment=True,
        filename=file.original_filename,
        content_type=file.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- report ------------------------------------------------------------------------------------


def _report_form(request: HttpRequest) -> ReportForm:
    start, end = half_year(timezone.localdate())
    data = request.GET if "tu_ngay" in request.GET else {"tu_ngay": start, "den_ngay": end}
    return ReportForm(data)


@login_required
@require_safe
def report(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = _report_form(request)
    rows, totals = [], None
    if form.is_valid():
        agency_ids = agencies_for_user(request.user).values_list("pk", flat=True)
        rows, totals = report_rows(
            form.cleaned_data["tu_ngay"], form.cleaned_data["den_ngay"], list(agency_ids)
        )
    return render(
        request,
        "feedback/staff/report.html",
        {
            "form": form,
            "rows": rows,
            "totals": totals,
            "columns": REPORT_COLUMNS,
            "query": request.GET.urlencode() if "tu_ngay" in request.GET else "",
        },
    )


@login_required
@require_safe
def report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    _staff_only(request)
    form = _report_form(request)
    if fmt not in ("csv", "xlsx") or not form.is_valid():
        raise Http404
    start, end = form.cleaned_data["tu_ngay"], form.cleaned_data["den_ngay"]
    agency_ids = list(agencies_for_user(request.user).values_list("pk", flat=True))
    rows, totals = report_rows(start, end, agency_ids)
    name = f"bao-cao-pakn-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "xlsx":
        content = report_xlsx(rows, totals, start, end)
        return HttpResponse(
            content,
            content_type=XLSX_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return HttpResponse(
        report_csv(rows, totals),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
