"""Recompute a period on demand and publish a month, both in the background with progress."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from ..models import RecomputeRun, ReportPeriod
from ..services import IndicatorError
from ..services.periods import period_recompute_async
from ..services.publication import period_publish_async
from .common import query, staff_scope

RUN_FRAGMENT = "indicators/_run.html"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(period: ReportPeriod, **extra) -> str:
    return f"{reverse('indicators:dashboard')}?{query(period, **extra)}"


def _run_fragment(request: HttpRequest, run: RecomputeRun) -> HttpResponse:
    response = render(request, RUN_FRAGMENT, {"run": run, "back": _back(run.period)})
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def recompute(request: HttpRequest, period_id: int) -> HttpResponse:
    staff_scope(request)
    period = get_object_or_404(ReportPeriod, pk=period_id)
    try:
        run = period_recompute_async(actor=request.user, period=period)
    except IndicatorError as error:
        if _is_htmx(request):
            return render(request, "indicators/_run_error.html", {"message": error.message})
        messages.error(request, error.message)
        return redirect(_back(period))
    if _is_htmx(request):
        return _run_fragment(request, run)
    return redirect(_back(period, luot=run.pk))


@never_cache
@login_required
@require_safe
def run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    """The progress fragment htmx polls every second; the dashboard without JavaScript."""
    scope = staff_scope(request)
    run = get_object_or_404(RecomputeRun.objects.select_related("period"), pk=run_id)
    if not scope.province:
        raise Http404
    if _is_htmx(request):
        return _run_fragment(request, run)
    return redirect(_back(run.period, luot=run.pk))


@login_required
@require_POST
def publish(request: HttpRequest, period_id: int) -> HttpResponse:
    """Queue the publication and answer at once: the dashboard shows its progress
    (htmx polls the run; without JavaScript, reloading the page shows it)."""
    staff_scope(request)
    period = get_object_or_404(ReportPeriod, pk=period_id)
    if request.POST.get("xac_nhan") != "1":
        messages.error(
            request, _("Vui lòng đánh dấu xác nhận đã kiểm tra số liệu trước khi công bố.")
        )
        return redirect(_back(period))
    try:
        run = period_publish_async(actor=request.user, period=period)
    except IndicatorError as error:
        messages.error(request, error.message)
        return redirect(_back(period))
    messages.info(
        request,
        _("Đã nhận yêu cầu công bố kết quả %(period)s; tiến độ hiển thị bên dưới.")
        % {"period": period.title},
    )
    return redirect(_back(period, luot=run.pk))
