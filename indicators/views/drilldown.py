"""Drill-down: the dossiers, procedures or PAKN that cost a unit points on one criterion."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tthc_portal.agencies.models import Agency
from tthc_portal.db_router import reporting_reads

from .. import selectors
from ..explanations import explanation_for, rows_explain
from ..selectors_units import criterion_rows
from ..services import IndicatorError
from ..services.drilldown import criterion_cases
from .common import chosen_display, chosen_period, dossier_url, query, staff_scope

PAGE_SIZE = 25


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
    # Read from the replica when one is configured and fresh enough; the page's
    # rows are evaluated inside the block.
    with reporting_reads():
        try:
            found = criterion_cases(period=period, agency=agency, criterion_code=code)
        except IndicatorError as error:
            raise Http404(error.message) from None
        scheme = selectors.scheme_for(period.rule_set_id)
        # All rows are explained: 3.3's sync factor is read from the 1.4 row.
        rows = rows_explain(criterion_rows(scheme, period, agency_id), scheme.criteria)
        row = next((r for r in rows if r.code == code), None)
        page = Paginator(found.queryset, PAGE_SIZE).get_page(request.GET.get("trang"))
        items = list(page.object_list)
    if found.kind == "dossier":
        for item in items:
            item.staff_url = dossier_url(item.pk)
    return render(
        request,
        "indicators/cases.html",
        {
            "found": found,
            "row": row,
            "explanation": row.explained.text if row else explanation_for(code),
            "unit_name": agency.name if agency else _("Toàn tỉnh"),
            "agency_id": agency_id,
            "period": period,
            "page": page,
            "items": items,
            "query": query(period, chosen_display(request)),
        },
    )
