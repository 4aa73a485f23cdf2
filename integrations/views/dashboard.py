"""The sync dashboard of the provincial office (online-services.md §7.6): backlog
by target and error class, the oldest unsent event, circuit breakers, dead
letters with their officer task, the unmapped queue, the latest reconciliation
with a one-click resync, and per-unit counts local vs national with the
predicted 1.4 ratio. Reads come from ``integrations.selectors``; the two POST
actions call the resync services."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from .. import selectors
from ..models import Difference, SyncTask
from ..reconcile import ResyncError, difference_resync, dossier_resync

PAGE_SIZE = 25
UNMAPPED_SHOWN = 20
BREAKER_LABELS = {
    "closed": (gettext_lazy("Hoạt động bình thường"), "state-ok"),
    "open": (gettext_lazy("Đang ngắt kết nối"), "state-bad"),
    "half_open": (gettext_lazy("Đang thử kết nối lại"), "state-warn"),
}


@dataclass
class Pager:
    page: Page
    param: str
    links: list[tuple[object, str | None]]
    previous_url: str | None
    next_url: str | None


def _pager(request: HttpRequest, items, param: str) -> Pager:
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get(param))

    def url(number) -> str:
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}"

    links = [
        (n, None if n == page.paginator.ELLIPSIS else url(n))
        for n in page.paginator.get_elided_page_range(page.number, on_each_side=2)
    ]
    return Pager(
        page, param, links,
        url(page.previous_page_number()) if page.has_previous() else None,
        url(page.next_page_number()) if page.has_next() else None,
    )  # fmt: skip


def _require_office(request: HttpRequest) -> None:
    if not selectors.sync_office_allowed(request.user):
        raise PermissionDenied


@login_required
@require_safe
def sync_dashboard(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    now = timezone.now()
    states = selectors.target_states(now)
    for state in states:
        state.breaker_label, state.breaker_class = BREAKER_LABELS.get(
            state.breaker, (state.breaker, "state-muted")
        )
    run = selectors.latest_run()
    unmapped = selectors.unmapped_open().order_by("-last_seen", "-pk")
    period, units, total = selectors.unit_counts(timezone.localdate())
    dead = _pager(request, selectors.dead_letters(), "trang")
    context = {
        "now": now,
        "states": states,
        "backlog": sum(s.total for s in states),
        "oldest": min((s.oldest for s in states if s.oldest), default=None),
        "run": run,
        "differences": _pager(request, selectors.run_differences(run), "trang_cl") if run else None,
        "dead": dead,
        "unmapped": list(unmapped[:UNMAPPED_SHOWN]),
        "unmapped_count": unmapped.count(),
        "period": period,
        "units": _pager(request, units, "trang_dv"),
        "total": total,
    }
    return render(request, "integrations/dashboard.html", context)


def _back(anchor: str) -> HttpResponse:
    return redirect(f"{reverse('integrations:sync_dashboard')}#{anchor}")


@login_required
@require_POST
def difference_resync_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_office(request)
    difference = get_object_or_404(Difference.objects.select_related("run__target"), pk=pk)
    try:
        difference_resync(difference, request.user)
    except ResyncError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Đã đưa hồ sơ %(code)s vào hàng đợi đồng bộ lại toàn bộ.")
            % {"code": difference.code},
        )
    return _back("doi-soat")


@login_required
@require_POST
def dead_letter_resync_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_office(request)
    task = get_object_or_404(SyncTask.objects.select_related("dossier"), pk=pk)
    try:
        dossier_resync(task.dossier, request.user)
    except ResyncError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Đã gửi lại dữ liệu đồng bộ của hồ sơ %(code)s.") % {"code": task.dossier},
        )
    return _back("thu-loi")
