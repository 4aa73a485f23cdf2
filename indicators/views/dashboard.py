"""Staff dashboard of the 766 index and a unit's criterion table, with downloads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tthc_portal.db_router import reporting_reads

from .. import exports, selectors
from ..criteria import Code
from ..explanations import explain, rows_explain, stored_row, sync_factor_of
from ..models import ACTIVE_RUN_STATUSES, Display, IndicatorResult, RecomputeRun, ReportPeriod
from ..selectors import Dashboard
from ..selectors_units import UnitReport, unit_report
from .common import (
    can_publish,
    chosen_display,
    chosen_period,
    download,
    period_choices,
    query,
    staff_scope,
)


def _chart_data(data: Dashboard) -> dict[str, Any]:
    """Numbers for the charts (static/js/indicators.js), passed with json_script."""
    headline = data.headline
    return {
        "groups": {
            "labels": [c.name for c in data.columns],
            "scores": [float(v) for v in headline.groups] if headline else [],
            "max": [float(c.max_points) for c in data.columns],
        },
        "trend": {
            "labels": [p.label for p in data.trend],
            "totals": [float(p.total) for p in data.trend],
            "series": [
                {"label": c.name, "values": [float(p.groups[i]) for p in data.trend]}
                for i, c in enumerate(data.columns)
            ],
        },
        "rankings": [
            {
                "id": key,
                "labels": [s.name for s in scores],
                "totals": [float(s.total) for s in scores],
            }
            for key, scores in (("departments", data.departments), ("communes", data.communes))
        ],
        "text": {
            "score": _("Điểm"),
            "max": _("Điểm tối đa"),
            "total": _("Tổng điểm"),
        },
    }


def _explain_weakest(data: Dashboard) -> None:
    """Why the headline unit lost points; 3.3's sync factor read from its stored 1.4
    result (the five weakest rows rarely include 1.4 itself). Always one query, so
    the page's count does not depend on which criteria are weakest."""
    factor = None
    if data.headline is not None:
        # agency_id=None is the province's own row (IS NULL).
        stored = IndicatorResult.objects.filter(
            period=data.period, criterion_code=Code.DOSSIER_SYNC, agency_id=data.headline.agency_id
        ).first()
        if stored is not None:
            factor = sync_factor_of([stored_row(stored)])
    for row in data.weakest:
        row.explained = explain(row, data.scheme.criteria.get(row.code), factor)


def _dashboard_data(request: HttpRequest):
    scope = staff_scope(request)
    periods = selectors.periods_available()
    period, missing = chosen_period(request, periods)
    display = chosen_display(request)
    # Reports read from the replica when one is configured and fresh enough.
    with reporting_reads():
        data = selectors.dashboard(scope, period, display, periods) if period else None
    if data is not None:
        _explain_weakest(data)
    return scope, periods, period, missing, data


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    scope, periods, period, missing, data = _dashboard_data(request)
    display = data.display if data else chosen_display(request)
    context = {
        "data": data,
        "scope": scope,
        "period": period,
        "missing": missing,
        "period_groups": period_choices(periods),
        "display": display,
        "five_groups": display == Display.FIVE_GROUPS,
        "query": query(period, chosen_display(request)),
        "query_six": query(period, Display.SIX_GROUPS),
        "query_five": query(period, Display.FIVE_GROUPS),
        "state": _period_state(request, scope, period) if period else None,
        "chart_data": _chart_data(data) if data else None,
    }
    return render(request, "indicators/dashboard.html", context)


def _period_state(request: HttpRequest, scope, period: ReportPeriod) -> dict[str, Any]:
    """Open or frozen, and what this user may do with the period."""
    published = period.is_published
    run = None
    if scope.province:
        asked = request.GET.get("luot") or ""
        runs = RecomputeRun.objects.filter(period=period)
        run = (runs.filter(pk=int(asked)).first() if asked.isdigit() else None) or runs.filter(
            status__in=ACTIVE_RUN_STATUSES
        ).first()
    return {
        "period": period,
        "published": published,
        "can_recompute": scope.province and not published,
        "can_publish": not published and can_publish(request),
        "ended": period.end < timezone.localdate(),
        "run": run,
    }


@login_required
@require_safe
def dashboard_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    _scope, _periods, period, _missing, data = _dashboard_data(request)
    if data is None:
        raise Http404(_("Chưa có số liệu của kỳ này."))
    title = _("Chỉ số 766 – %(period)s") % {"period": period.title}
    content = exports.render(exports.dashboard_sheets(data), fmt, title=title, landscape=True)
    return download(content, fmt, f"chi-so-766-{period.label}")


def _unit_report(request: HttpRequest, agency_id: int | None) -> tuple[UnitReport, ReportPeriod]:
    scope = staff_scope(request)
    periods = selectors.periods_available()
    period, _missing = chosen_period(request, periods)
    if agency_id is not None and agency_id not in scope.units:
        raise Http404
    with reporting_reads():
        report = unit_report(scope, period, agency_id, chosen_display(request)) if period else None
    if report is None:
        raise Http404(_("Chưa có số liệu của đơn vị trong kỳ này."))
    rows_explain(report.rows, report.scheme.criteria)
    return report, period


@login_required
@require_safe
def unit(request: HttpRequest, agency_id: int | None = None) -> HttpResponse:
    report, period = _unit_report(request, agency_id)
    return render(
        request,
        "indicators/unit.html",
        {
            "report": report,
            "period": period,
            "query": query(period, chosen_display(request)),
        },
    )


@login_required
@require_safe
def unit_download(request: HttpRequest, fmt: str, agency_id: int | None = None) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    report, period = _unit_report(request, agency_id)
    title = _("Chỉ số 766 của %(unit)s – %(period)s") % {
        "unit": report.name,
        "period": period.title,
    }
    content = exports.render(exports.unit_sheets(report), fmt, title=title)
    slug = "toan-tinh" if agency_id is None else f"don-vi-{agency_id}"
    return download(content, fmt, f"chi-so-766-{slug}-{period.label}")
