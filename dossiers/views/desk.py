"""The one-stop desk officer's reception workspace.

Queue → check page (one consolidated view) → receive, ask once for completion,
or refuse; and counter entry for applicants who come in person. Views parse
input, call a service from :mod:`dossiers.services`, and render or redirect.
Only officers holding ``receive_dossiers`` on the receiving agency see a
dossier; for anyone else it does not exist (404).

As on the processing page: a form with invalid input is shown again (400)
with its errors and what was typed; an action the service refuses
(``DossierError``) redirects back to the check page with the reason as a
message, so a refresh never sends it again. Refusing the dossier first shows
its consequences (:mod:`.desk_refuse`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import selectors_desk as selectors
from ..forms_desk import (
    ApplicantForm,
    CompletionRequestForm,
    CounterSearchForm,
    CounterStartForm,
    DigitiseForm,
    QueueFilterForm,
    ReceiveForm,
    RefusalForm,
    counter_channels,
)
from ..models import Dossier, Status
from ..services import DossierError
from ..services.fees import dossier_fee_items
from ..services.reception import (
    dossier_receive,
    dossier_request_completion,
    reception_request_earlier,
)
from ..services.submission import (
    EDITABLE_STATUSES,
    component_attach,
    dossier_create_draft,
    dossier_resubmit,
    dossier_update_draft,
)
from ..workflow import TRANSITIONS
from .errors import form_error, service_error, service_error_message

PAGE_SIZE = 25
DECISION_STATUSES = (Status.DRAFT, Status.SUBMITTED)
DESK_EDITABLE = (*EDITABLE_STATUSES, Status.SUBMITTED)
DOCUMENT_STATUS_TEMPLATES = ["dossiers/documents/_status.html", "dossiers/desk/_document.html"]


def _require_desk(request: HttpRequest):
    agencies = selectors.desk_agencies(request.user)
    if not agencies.exists():
        raise Http404
    return agencies


def dossier_or_404(request: HttpRequest, pk: int) -> Dossier:
    try:
        return selectors.desk_dossier(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


# --- queue ------------------------------------------------------------------------------


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    now = timezone.now()
    filters = QueueFilterForm(request.GET or None)
    dossiers = selectors.desk_queue_filtered(request.user, now=now, **filters.values())
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {
        "filters": filters,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "rows": selectors.queue_rows(page.object_list, now),
        "summary": selectors.desk_queue_summary(request.user, now),
        "drafts": selectors.counter_drafts(request.user),
        "now": now,
    }
    return render(request, "dossiers/desk/queue.html", context)


# --- counter entry ----------------------------------------------------------------------


def _counter_page(
    request: HttpRequest, agencies, *, start_form=None, error=None, status: int = 200
) -> HttpResponse:
    search = CounterSearchForm(request.GET or None, agencies=agencies)
    agency = search.agency()
    query = (search.cleaned_data.get("q") or "") if search.is_valid() else ""
    versions = selectors.receivable_versions(agency, query)
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("trang"))
    failed_pk = str(start_form.data.get("procedure")) if start_form is not None else None
    results = []
    for version in page.object_list:
        failed = failed_pk == str(version.procedure_id)
        results.append(
            {
                "version": version,
                "channels": counter_channels(version),
                "selected": str(start_form.data.get("channel")) if failed else "1",
                "errors": start_form.errors.get("channel", []) if failed else [],
            }
        )
    context = {
        "search": search,
        "agency": agency,
        "several_agencies": agencies.count() > 1,
        "query": query,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "results": results,
        "drafts": selectors.counter_drafts(request.user),
        "error": error,
    }
    return render(request, "dossiers/desk/counter_start.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def counter_start(request: HttpRequest) -> HttpResponse:
    agencies = _require_desk(request)
    if request.method != "POST":
        return _counter_page(request, agencies)
    form = CounterStartForm(
        request.POST, versions_for=selectors.receivable_versions, agencies=agencies
    )
    if not form.is_valid():
        return _counter_page(request, agencies, start_form=form, error=form_error(form))
    try:
        dossier = dossier_create_draft(
            actor=request.user,
            procedure=form.cleaned_data["procedure_obj"],
            channel=form.cleaned_data["channel"],
            receiving_agency=form.cleaned_data["agency_obj"],
        )
    except DossierError as error:
        # Typed input is kept to correct it: shown again as an error (400), like processing.
        return _counter_page(
            request, agencies, start_form=form, error=service_error(error), status=400
        )
    messages.success(request, _("Đã tạo hồ sơ mới. Vui lòng nhập thông tin người nộp."))
    return redirect("dossiers:counter_applicant", pk=dossier.pk)


@login_required
@require_http_methods(["GET", "POST"])
def counter_applicant(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_or_404(request, pk)
    if dossier.status not in DESK_EDITABLE:
        messages.warning(
            request,
            _("Hồ sơ ở trạng thái “%(s)s” không thể sửa thông tin người nộp.")
            % {"s": dossier.get_status_display()},
        )
        return redirect("dossiers:desk_check", pk=dossier.pk)
    form = ApplicantForm.for_dossier(dossier, request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST":
        if form.is_valid():
            try:
                dossier_update_draft(actor=request.user, dossier=dossier, data=form.cleaned_data)
            except DossierError as failure:
                error = service_error(failure)
            else:
                messages.success(request, _("Đã lưu thông tin người nộp hồ sơ."))
                return redirect("dossiers:desk_check", pk=dossier.pk)
        else:
            error = form_error(form)
    return render(
        request,
        "dossiers/desk/applicant_form.html",
        {"dossier": dossier, "form": form, "error": error},
        status=400 if error else 200,
    )


# --- the check page ---------------------------------------------------------------------


def _download_url(dossier: Dossier, component) -> str | None:
    try:
        return reverse("dossiers:component_download", args=[dossier.pk, component.pk])
    except NoReverseMatch:
        return None


def check_page(
    request: HttpRequest, dossier: Dossier, *, error=None, status: int = 200, **forms
) -> HttpResponse:
    rows, others = selectors.requirement_rows(dossier)
    for component in [c for row in rows for c in row.provided] + others:
        component.download_url = _download_url(dossier, component)
    requirements = [row.requirement for row in rows]
    missing = {row.requirement.pk for row in rows if row.missing}
    fees = dossier_fee_items(dossier)
    deciding = dossier.status in DECISION_STATUSES
    now = timezone.now()
    context = {
        "dossier": dossier,
        "procedure": dossier.procedure_version.procedure,
        "rows": rows,
        "others": others,
        "missing": [row.requirement for row in rows if row.missing],
        "fees": fees,
        "fee_total": sum(item["amount_vnd"] for item in fees),
        "editable": dossier.status in DESK_EDITABLE,
        "deciding": deciding,
        "can_resubmit": dossier.status == Status.AWAITING_COMPLETION,
        "overdue": bool(
            dossier.status == Status.SUBMITTED
            and dossier.reception_due_at
            and dossier.reception_due_at < now
        ),
        "documents": list(dossier.documents.all()),
        "document_template": select_template(DOCUMENT_STATUS_TEMPLATES),
        "supplement_requests": list(dossier.supplement_requests.all()),
        "completion_requested": reception_request_earlier(dossier),
        "digitise_form": forms.get("digitise_form") or DigitiseForm(requirements=requirements),
        "completion_form": forms.get("completion_form")
        or CompletionRequestForm(requirements=requirements, missing=missing),
        "refusal_form": forms.get("refusal_form") or RefusalForm(),
        "error": error,
    }
    return render(request, "dossiers/desk/check.html", context, status=status)


@login_required
@require_safe
def check(request: HttpRequest, pk: int) -> HttpResponse:
    return check_page(request, dossier_or_404(request, pk))


def refused(request: HttpRequest, dossier: Dossier, label: str, error: dict) -> HttpResponse:
    """The action itself was refused (the dossier moved on, a rule said no):
    back to the check page with the reason as a message, so a refresh does not
    send it again (post/redirect/get, as on the processing page)."""
    messages.error(request, service_error_message(label, error))
    return redirect("dossiers:desk_check", pk=dossier.pk)


@login_required
@require_POST
def digitise(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_or_404(request, pk)
    requirements = list(dossier.procedure_version.components.all())
    form = DigitiseForm(request.POST, request.FILES, requirements=requirements)
    if not form.is_valid():
        return check_page(request, dossier, error=form_error(form), digitise_form=form, status=400)
    try:
        component = component_attach(
            actor=request.user,
            dossier=dossier,
            requirement_id=form.cleaned_data["requirement"],
            upload=form.cleaned_data["file"],
        )
    except DossierError as error:
        # A rejected file cannot be kept in the form anyway: say why on the page.
        return refused(request, dossier, _("Số hóa giấy tờ"), service_error(error))
    if component.page_count:
        text = _("Đã số hóa “%(name)s” (%(pages)s trang).")
    else:
        text = _("Đã số hóa “%(name)s”.")
    messages.success(request, text % {"name": component.name, "pages": component.page_count})
    return redirect(reverse("dossiers:desk_check", args=[pk]) + f"#tp-{component.requirement_id}")


@login_required
@require_POST
def receive(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_or_404(request, pk)
    label = str(TRANSITIONS["receive"].label)
    form = ReceiveForm(request.POST, dossier=dossier)
    if not form.is_valid():
        # Nothing typed to correct here: the dossier lacks the applicant's
        # identity, which is edited on its own page. A refusal, not a form error.
        why = " ".join(str(e) for e in form.non_field_errors())
        return refused(request, dossier, label, {"message": why, "details": []})
    try:
        dossier = dossier_receive(actor=request.user, dossier=dossier)
    except DossierError as error:
        return refused(request, dossier, label, service_error(error))
    if dossier.due_at:
        due = timezone.localtime(dossier.due_at)
        text = _(
            "Đã tiếp nhận hồ sơ, mã hồ sơ %(code)s. Hẹn trả kết quả lúc %(time)s ngày %(date)s."
        ) % {"code": dossier.code, "time": f"{due:%H:%M}", "date": f"{due:%d/%m/%Y}"}
    else:
        text = _("Đã tiếp nhận hồ sơ, mã hồ sơ %(code)s.") % {"code": dossier.code}
    messages.success(request, text)
    return redirect("dossiers:desk_check", pk=pk)


@login_required
@require_POST
def request_completion(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_or_404(request, pk)
    rows, _others = selectors.requirement_rows(dossier)
    form = CompletionRequestForm(request.POST, requirements=[row.requirement for row in rows])
    if not form.is_valid():
        # The officer corrects the marked items: the page again, every value kept.
        return check_page(
            request, dossier, error=form_error(form), completion_form=form, status=400
        )
    items = form.cleaned_data["items"]
    try:
        dossier_request_completion(
            actor=request.user, dossier=dossier, items=items, note=form.cleaned_data["note"]
        )
    except DossierError as error:
        return refused(
            request, dossier, str(TRANSITIONS["request_completion"].label), service_error(error)
        )
    messages.success(
        request,
        _("Đã lập phiếu yêu cầu bổ sung, hoàn thiện hồ sơ gồm %(n)s nội dung.") % {"n": len(items)},
    )
    return redirect("dossiers:desk_check", pk=pk)


@login_required
@require_POST
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant brought the missing papers to the counter: back to the check."""
    dossier = dossier_or_404(request, pk)
    try:
        dossier_resubmit(actor=request.user, dossier=dossier)
    except DossierError as error:
        return refused(request, dossier, str(TRANSITIONS["resubmit"].label), service_error(error))
    messages.success(request, _("Đã nhận hồ sơ bổ sung; hồ sơ chờ kiểm tra, tiếp nhận."))
    return redirect("dossiers:desk_check", pk=pk)


__all__ = [
    "check",
    "check_page",
    "counter_applicant",
    "counter_start",
    "digitise",
    "dossier_or_404",
    "queue",
    "receive",
    "refused",
    "request_completion",
    "resubmit",
]
