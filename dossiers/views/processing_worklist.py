"""The resolving units' worklists (/xu-ly/): my steps, my unit's queue, steps
waiting for assignment; soonest due first, with traffic lights.

One indexed query for the page of rows and one aggregate for the badges
(which also gives the paginator its count), whatever the page size
(``dossiers.selectors_processing``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tthc_portal.agencies.selectors import agency_perms_held

from ..forms_processing import ANSWERED_SCOPE_SLUG, PAGE_SIZES, SCOPES, WorklistFilterForm
from ..selectors_casework import staff_agencies
from ..selectors_processing import (
    CountedPaginator,
    answered_consultations,
    summary_count,
    worklist,
    worklist_summary,
)
from ..services.overdue import thresholds

TABS = (
    ("cua-toi", _("Việc của tôi")),
    ("don-vi", _("Hàng đợi của đơn vị")),
    ("cho-phan-cong", _("Chờ phân công")),
    (ANSWERED_SCOPE_SLUG, _("Ý kiến đã trả lời")),
)


@never_cache
@login_required
@require_safe
def worklist_page(request: HttpRequest) -> HttpResponse:
    agencies = list(staff_agencies(request.user))
    if not agencies:
        raise PermissionDenied(_("Trang này dành cho cán bộ xử lý hồ sơ."))
    # Every role's rights include view_agency_records: one query over the units
    # listed above tells both. Only a unit's specialists and heads answer
    # consultations, and keep their record.
    held = agency_perms_held(request.user, [agency.pk for agency in agencies])
    can_assign, answers = "assign_dossiers" in held, "process_dossiers" in held
    filters = WorklistFilterForm(request.GET, agencies=staff_agencies(request.user))
    values = filters.values()
    if (values["scope"] == "unassigned" and not can_assign) or (
        values["scope"] == "answered" and not answers
    ):
        values.update(scope="mine", scope_slug="cua-toi")
    tabs = [
        (slug, label)
        for slug, label in TABS
        if (SCOPES[slug] != "unassigned" or can_assign) and (SCOPES[slug] != "answered" or answers)
    ]
    if values["scope"] == "answered":
        return _answered_page(request, values, tabs)
    now = timezone.now()
    steps = worklist(
        request.user, scope=values["scope"], bucket=values["bucket"], agency=values["agency"],
        query=values["query"], now=now,
    )  # fmt: skip
    summary = worklist_summary(request.user, scope=values["scope"], now=now)
    known = None
    if not values["agency"] and not values["query"].strip():
        known = summary_count(summary, bucket=values["bucket"])
    page = CountedPaginator(steps, values["per_page"], count=known).get_page(
        request.GET.get("trang")
    )
    context = {
        "filters": filters,
        "values": values,
        "tabs": tabs,
        "several_agencies": len(agencies) > 1,
        "can_assign": can_assign,
        "page_sizes": PAGE_SIZES,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "summary": summary,
        "now": now,
        # The dossier's own appointment, flagged beside the step's light.
        "horizon": thresholds(now)[0],
    }
    return render(request, "dossiers/processing/worklist.html", context)


def _answered_page(request: HttpRequest, values: dict, tabs: list) -> HttpResponse:
    """The unit's answered consultations: request and answer, without the dossier."""
    rows = answered_consultations(request.user, query=values["query"])
    page = CountedPaginator(rows, values["per_page"]).get_page(request.GET.get("trang"))
    context = {
        "values": values,
        "tabs": tabs,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
    }
    return render(request, "dossiers/processing/consultations_answered.html", context)


__all__ = ["worklist_page"]
