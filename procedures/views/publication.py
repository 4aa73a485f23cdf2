"""The staff publication workspace: board, ministry decisions, tasks, versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tthc_portal.agencies.selectors import province_root

from .. import publication_selectors as selectors
from ..forms import (
    CHILD_FORMSETS,
    ChairmanDecisionForm,
    DecisionItemFormSet,
    MinistryDecisionForm,
    ReviewForm,
    VersionForm,
    formset_initial,
    formset_rows,
)
from ..models import ProcedureVersion, PublicationItem, PublicationTask, VersionStatus
from ..review import review_base, version_diff
from ..services import ProcedureError
from ..services import publication as publication_services
from ..services.publication import ItemInput
from ..services.publication_tasks import task_capabilities
from ..services.validation import submission_errors
from ..services.versions import owner_agency, version_capabilities, version_update
from ..workflow import TASK_LIFECYCLE, VERSION_LIFECYCLE

BOARD_STATES = ["overdue", "due_soon", "pending", "late", "on_time"]


def _can_control(user) -> bool:
    province = province_root()
    return province is not None and user.has_perm("agencies.control_publication", province)


def _report(request: HttpRequest, error: ProcedureError) -> None:
    messages.error(request, error.message)
    for detail in error.errors:
        messages.error(request, detail)


@login_required
@require_http_methods(["GET"])
def board(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("trang_thai") or None
    if state not in BOARD_STATES:
        state = None
    today = timezone.localdate()
    rows = selectors.board_rows(request.user, today, state)
    return render(
        request,
        "procedures/staff/board.html",
        {
            "rows": rows,
            "state": state,
            "states": [(s, publication_services.STATE_LABELS[s]) for s in BOARD_STATES],
            "today": today,
            "can_control": _can_control(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest) -> HttpResponse:
    if not _can_control(request.user):
        raise PermissionDenied
    form = MinistryDecisionForm(request.POST or None)
    items = DecisionItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        inputs = [
            ItemInput(
                change_type=row["change_type"],
                responsible_agency=row["responsible_agency"],
                procedure_code=row.get("procedure_code", "").strip(),
                procedure_name=row.get("procedure_name", "").strip(),
            )
            for row in (f.cleaned_data for f in items.forms)
            if row and row.get("change_type")
        ]
        try:
            decision = publication_services.ministry_decision_record(
                actor=request.user, items=inputs, **form.cleaned_data
            )
        except ProcedureError as error:
            _report(request, error)
        else:
            messages.success(
                request,
                _("Đã ghi nhận quyết định %(n)s và giao %(k)s nhiệm vụ công bố.")
                % {"n": decision.number, "k": decision.tasks.count()},
            )
            return redirect("procedures:board")
    return render(request, "procedures/staff/decision_form.html", {"form": form, "items": items})


@login_required
@require_http_methods(["GET"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        task = selectors.task_for_user(request.user, pk)
    except PublicationTask.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    from tthc_portal.workdays.services import get_calendar

    deadlines = publication_services.task_deadlines(task, today, get_calendar())
    user = request.user
    # The actions the task's table allows this user now ("decide": the chairman's decision).
    actions = TASK_LIFECYCLE.allowed(task, task_capabilities(user, task, ["control_publication"]))
    return render(
        request,
        "procedures/staff/task_detail.html",
        {
            "task": task,
            "deadlines": deadlines,
            "overall": publication_services.task_overall_state(deadlines),
            "can_draft": user.has_perm("agencies.draft_procedures", task.agency),
            "can_approve": user.has_perm("agencies.approve_procedures", task.agency),
            "can_control": user.has_perm("agencies.control_publication", task.agency),
            "decision_form": ChairmanDecisionForm() if "decide" in actions else None,
        },
    )


@login_required
@require_POST
def item_draft(request: HttpRequest, pk: int) -> HttpResponse:
    item = PublicationItem.objects.filter(
        pk=pk, task__in=selectors.tasks_for_user(request.user)
    ).first()
    if item is None:
        raise Http404
    try:
        version = publication_services.item_start_draft(actor=request.user, item=item)
    except ProcedureError as error:
        _report(request, error)
        return redirect("procedures:task", pk=item.task_id)
    return redirect("procedures:version", pk=version.pk)


@login_required
@require_POST
def task_decide(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        task = selectors.task_for_user(request.user, pk)
    except PublicationTask.DoesNotExist:
        raise Http404 from None
    form = ChairmanDecisionForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
        return redirect("procedures:task", pk=pk)
    try:
        publication_services.task_chairman_decision_record(
            actor=request.user,
            task=task,
            number=form.cleaned_data["number"],
            decision_date=form.cleaned_data["decision_date"],
            effective_date=form.cleaned_data["effective_date"],
        )
    except ProcedureError as error:
        _report(request, error)
    else:
        messages.success(request, _("Đã ghi nhận quyết định công bố của Chủ tịch UBND tỉnh."))
    return redirect("procedures:task", pk=pk)


def _version_or_404(request: HttpRequest, pk: int) -> ProcedureVersion:
    try:
        return selectors.version_for_user(request.user, pk)
    except ProcedureVersion.DoesNotExist:
        raise Http404 from None


def _formsets(version: ProcedureVersion, data=None, files=None) -> dict:
    # Initial rows are passed on POST too, so a file already attached to a
    # component is kept unless a new one is uploaded.
    return {
        relation: formset_class(
            data,
            files,
            prefix=relation,
            initial=formset_initial(version, relation, list(formset_class.form.base_fields)),
        )
        for relation, (formset_class, _model) in CHILD_FORMSETS.items()
    }


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version_or_404(request, pk)
    agency = owner_agency(version)
    user = request.user
    editable = version.status == VersionStatus.DRAFT and user.has_perm(
        "agencies.draft_procedures", agency
    )
    # Only the drafter edits; everyone else gets the review, which needs no forms.
    form = VersionForm(instance=version) if editable else None
    formsets = _formsets(version) if editable else {}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = VersionForm(request.POST, instance=version)
        formsets = _formsets(version, request.POST, request.FILES)
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            content = dict(form.cleaned_data)
            code = content.pop("procedure_code", "")
            try:
                version = version_update(
                    actor=user,
                    version=version,
                    content=content,
                    children={rel: formset_rows(fs) for rel, fs in formsets.items()},
                    code=None if form.fields["procedure_code"].disabled else code,
                )
            except ProcedureError as error:
                _report(request, error)
            else:
                if "submit" in request.POST:
                    return _transition(request, version, "submit")
                messages.success(request, _("Đã lưu dự thảo."))
                return redirect("procedures:version", pk=version.pk)
        else:
            messages.error(request, _("Vui lòng sửa các lỗi được đánh dấu bên dưới."))
    return render(
        request,
        "procedures/staff/version_edit.html",
        {
            "version": version,
            "form": form,
            "formsets": formsets,
            "editable": editable,
            "problems": submission_errors(version) if version.status == VersionStatus.DRAFT else [],
            # What the version's table and guards allow this user now.
            "actions": VERSION_LIFECYCLE.allowed(version, version_capabilities(user, agency)),
            "can_approve": user.has_perm("agencies.approve_procedures", agency),
            "review_form": ReviewForm(),
            # The head reviews the whole content against the version in force.
            "diff": None if editable else version_diff(version, review_base(version)),
        },
    )


def _transition(request: HttpRequest, version: ProcedureVersion, action: str, note: str = ""):
    try:
        version = publication_services.version_transition_in_task(
            actor=request.user, version=version, action=action, note=note
        )
    except ProcedureError as error:
        _report(request, error)
        return redirect("procedures:version", pk=version.pk)
    labels = {
        "submit": _("Đã trình lãnh đạo phê duyệt."),
        "approve": _("Đã phê duyệt phiên bản."),
        "return": _("Đã trả lại dự thảo để chỉnh sửa."),
    }
    messages.success(request, labels[action])
    if version.publication_task_id:
        return redirect("procedures:task", pk=version.publication_task_id)
    return redirect("procedures:version", pk=version.pk)


@login_required
@require_POST
def version_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("submit", "approve", "return"):
        raise Http404
    version = _version_or_404(request, pk)
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _transition(request, version, action, note)
