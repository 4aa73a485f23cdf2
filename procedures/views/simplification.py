"""Decision 1085 tracking: progress against the 20 % / 20 % targets, plans, inventory."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tthc_portal.agencies.selectors import agencies_for_user

from .. import simplification_selectors as selectors
from ..forms import InternalProcedureForm, SimplificationPlanForm
from ..services import ProcedureError
from ..services.simplification import internal_procedure_register, simplification_plan_save


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name) or request.POST.get(name)
    return int(value) if value and value.isdigit() else None


@login_required
@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    target = selectors.target_in_force(today, _int_param(request, "muc_tieu"))
    editable = selectors.editable_agencies(user)
    plans = selectors.plans_for_user(user)
    # Editing: ?phuong_an=<pk>, only a plan of the user's scope (else 404).
    plan = None
    plan_id = _int_param(request, "phuong_an")
    if plan_id is not None:
        plan = plans.filter(pk=plan_id).first()
        if plan is None:
            raise Http404
    form = None
    if editable.exists():
        form = SimplificationPlanForm(request.POST or None, instance=plan)
        form.fields["agency"].queryset = editable
        form.fields["procedure"].queryset = selectors.internal_procedures(editable)
    if request.method == "POST":
        if form is None or (plan is not None and plan.agency_id not in {a.pk for a in editable}):
            raise PermissionDenied
        if form.is_valid():
            try:
                simplification_plan_save(actor=user, data=form.cleaned_data, plan=plan)
            except ProcedureError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Đã lưu phương án đơn giản hóa."))
                return redirect("procedures:simplification")
        messages.error(request, _("Vui lòng sửa các lỗi được đánh dấu bên dưới."))
    return render(
        request,
        "procedures/staff/simplification.html",
        {
            "progress": selectors.simplification_progress(user, target, today),
            "targets": selectors.targets(),
            "plans": plans,
            "form": form,
            "editing": plan,
            "editable_ids": set(editable.values_list("pk", flat=True)),
            "standing_labels": selectors.STANDING_LABELS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def internal_procedures(request: HttpRequest) -> HttpResponse:
    user = request.user
    editable = selectors.editable_agencies(user)
    form = None
    if editable.exists():
        form = InternalProcedureForm(request.POST or None)
        form.fields["agency"].queryset = editable
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                version = internal_procedure_register(actor=user, **form.cleaned_data)
            except ProcedureError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Đã thêm thủ tục nội bộ “%(name)s” vào danh mục.") % {"name": version.name},
                )
                return redirect(reverse("procedures:internal_procedures"))
        messages.error(request, _("Vui lòng sửa các lỗi được đánh dấu bên dưới."))
    rows = selectors.internal_procedures(agencies_for_user(user, "view_agency_records"))
    return render(
        request,
        "procedures/staff/internal_procedures.html",
        {"rows": rows, "form": form},
    )
