"""The public monthly 766 report: no login, published periods only, no personal data."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import selectors_public
from ..models import ReportPeriod

PAGE_SIZE = 12


@require_safe
def period_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors_public.published_periods(), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(request, "indicators/public/list.html", {"page": page})


@require_safe
def period_detail(request: HttpRequest, label: str) -> HttpResponse:
    # A calendar period and a 15th–14th one may share a label: the calendar one first.
    period = (
        selectors_public.published_periods()
        .filter(label=label)
        .order_by("reporting_15th")
        .select_related("rule_set")
        .first()
    )
    if period is None:
        raise Http404
    try:
        report = selectors_public.public_report(period)
    except ReportPeriod.DoesNotExist:
        raise Http404 from None
    return render(request, "indicators/public/detail.html", {"report": report})
