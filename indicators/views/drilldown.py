"""Drill-down: the dossiers, procedures or PAKN that cost a unit points on one criterion."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tthc_portal.agencies.models import Agency

from .. import selectors
from ..services import IndicatorError
from ..services.drilldown import criterion_cases
from .common import chosen_display, chosen_period, query, staff_scope

PAGE_SIZE = 25
# URL names of a staff dossier page, first found wins (none: codes are not linked).
DOSSIER_PAGES = ("processing:dossier",)


def _dossier_url(pk: int) -> str | None:
    """The staff page of a dossier, where the project has one."""
    for name in DOSSIER_PAGES:
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return None


@login_required
@require_safe
def cases(request: HttpRequest, code: str, agency_id: int | None = None) -> HttpResponse:
    scope = staff_scope(request)
    if agency_id not in scope:
        raise Http404
    periods = selectors.periods_available()
    period, _missing = chosen_period(request, periods)
    if period is None:
        raise Http404(_("Chưa có số liệu của kỳ này."))
    agency = Agency.objects.get(pk=agency_id) if agency_id is not None else None
    try:
        found = criterion_cases(period=period, agency=agency, criterion_code=code)
    except IndicatorError as error:
        raise Http404(error.message) from None
    scheme = selectors.scheme_for(period.rule_set_id)
    row = next(
        (r for r in selectors.criterion_rows(scheme, period, agency_id) if r.code == code), None
    )
    page = Paginator(found.queryset, PAGE_SIZE).get_page(request.GET.get("trang"))
    items = list(page.object_list)
    if found.kind == "dossier":
        for item in items:
            item.staff_url = _dossier_url(item.pk)
    return render(
        request,
        "indicators/cases.html",
        {
            "found": found,
            "row": row,
            "unit_name": agency.name if agency else _("Toàn tỉnh"),
            "agency_id": agency_id,
            "period": period,
            "page": page,
            "items": items,
            "query": query(period, chosen_display(request)),
        },
    )
