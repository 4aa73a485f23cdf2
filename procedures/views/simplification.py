"""Progress of internal-procedure simplification against the 20% / 20% targets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tthc_portal.agencies.selectors import agencies_for_user

from .. import publication_selectors as selectors
from ..forms import SimplificationPlanForm
from ..models import Procedure, SimplificationPlan
from ..services.simplification import simplification_plan_save


@login_required
@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    user = request.user
    editable_agencies = agencies_for_user(user, "draft_procedures")
    form = None
    if editable_agencies.exists():
        form = SimplificationPlanForm(request.POST or None)
        form.fields["agency"].queryset = editable_agencies
        form.fields["procedure"].queryset = Procedure.objects.filter(
            versions__is_internal=True
        ).distinct()
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            simplification_plan_save(actor=user, data=form.cleaned_data)
            messages.success(request, _("Đã lưu phương án đơn giản hóa."))
            return redirect("procedures:simplification")
        messages.error(request, _("Vui lòng sửa các lỗi được đánh dấu bên dưới."))
    plans = (
        SimplificationPlan.objects.filter(agency__in=agencies_for_user(user, "view_agency_records"))
        .select_related("agency", "procedure__current_version")
        .order_by("agency__path", "pk")
    )
    return render(
        request,
        "procedures/staff/simplification.html",
        {"rows": selectors.simplification_progress(user), "plans": plans, "form": form},
    )
