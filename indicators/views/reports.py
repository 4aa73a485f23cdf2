"""The open period's predicted losses, and the Government's periodic report form."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from tthc_portal.agencies.models import AgencyKind

from .. import exports
from ..periods import current_month_label, parse_label, previous_month_label
from ..selectors import Scope
from ..services import IndicatorError
from ..services.periodic_report import HEADERS, periodic_report
from ..services.periods import period_current
from ..services.predicted import predicted_losses
from .common import dossier_url, download, staff_scope

PAGE_SIZE = 25


@login_required
@require_safe
def predicted(request: HttpRequest) -> HttpResponse:
    """Per unit, the score now and if every at-risk dossier ends late; the
    at-risk dossiers of the chosen unit, soonest deadline first."""
    scope = staff_scope(request)
    period = period_current()
    tops = sorted(scope.tops, key=lambda u: u.path)
    report = predicted_losses(
        period=period, agency_ids=None if scope.province else [u.id for u in tops]
    )
    units = [
        u
        for u in report.units
        if u.agency_id in scope.units
        and not (scope.units[u.agency_id].is_province)
        and scope.units[u.agency_id].kind != AgencyKind.DIVISION
    ]
    by_id = {u.agency_id: u for u in units}
    asked = request.GET.get("don_vi") or ""
    if asked.isdigit() and int(asked) in by_id:
        selected = by_id[int(asked)]
    elif scope.province:
        selected = report.province
    else:
        selected = units[0] if units else None
    page = None
    if selected is not None and selected.dossiers is not None:
        # Who holds each at-risk dossier, in the same query as the list.
        dossiers = selected.dossiers.select_related(
            "current_step__agency", "current_step__assignee", "assigned_specialist"
        )
        page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("trang"))
        for item in page.object_list:
            item.staff_url = dossier_url(item.pk)
    return render(
        request,
        "indicators/predicted.html",
        {
            "report": report,
            "period": period,
            "province": report.province if scope.province else None,
            "units": units,
            "selected": selected,
            "page": page,
        },
    )


# --- the periodic report (form II.06a) -----------------------------------------------------------

MAX_DAYS = 366 * 5


class PeriodicForm(forms.Form):
    tu_ngay = forms.DateField(
        label=gettext_lazy("Từ ngày"), widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
    den_ngay = forms.DateField(
        label=gettext_lazy("Đến ngày"), widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
    theo = forms.ChoiceField(
        label=gettext_lazy("Tổng hợp theo"),
        choices=[("field", gettext_lazy("Lĩnh vực")), ("agency", gettext_lazy("Đơn vị tiếp nhận"))],
        initial="field",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and end < start:
            self.add_error("den_ngay", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        elif start and end and (end - start).days > MAX_DAYS:
            self.add_error("den_ngay", _("Mỗi lần chỉ tổng hợp được tối đa 5 năm."))
        return data


def last_reporting_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last complete 15th–14th period of the Government's periodic reports."""
    label = previous_month_label(current_month_label(today, reporting_15th=True))
    _label, _kind, start, end = parse_label(label, reporting_15th=True)
    return start, end


def _periodic_form(request: HttpRequest) -> PeriodicForm:
    if "tu_ngay" in request.GET:
        return PeriodicForm(request.GET)
    start, end = last_reporting_period(timezone.localdate())
    return PeriodicForm({"tu_ngay": start, "den_ngay": end, "theo": "field"})


def _periodic_rows(request: HttpRequest, form: PeriodicForm):
    scope = staff_scope(request)
    tops = sorted(scope.tops, key=lambda u: u.path)
    data = form.cleaned_data
    return periodic_report(
        start=data["tu_ngay"],
        end=data["den_ngay"],
        group_by=data["theo"],
        agency_ids=None if scope.province else [u.id for u in tops],
    )


@login_required
@require_safe
def periodic(request: HttpRequest) -> HttpResponse:
    staff_scope(request)
    form = _periodic_form(request)
    rows = None
    if form.is_valid():
        try:
            rows = _periodic_rows(request, form)
        except IndicatorError as error:
            form.add_error(None, error.message)
    return render(
        request,
        "indicators/periodic.html",
        {
            "form": form,
            "rows": rows,
            "headers": HEADERS,
            "query": form.data.urlencode() if hasattr(form.data, "urlencode") else "",
        },
    )


def _scope_name(scope: Scope) -> str:
    """The units the report covers, for the printed title: the province, or the
    heads of the user's subtrees."""
    return ", ".join(u.name for u in sorted(scope.tops, key=lambda u: u.path))


@login_required
@require_safe
def periodic_download(request: HttpRequest, fmt: str) -> HttpResponse:
    scope = staff_scope(request)
    form = _periodic_form(request)
    if fmt not in exports.FORMATS or not form.is_valid():
        raise Http404
    try:
        rows = _periodic_rows(request, form)
    except IndicatorError as error:
        raise Http404(error.message) from None
    start, end = form.cleaned_data["tu_ngay"], form.cleaned_data["den_ngay"]
    name = f"bao-cao-giai-quyet-tthc-{start:%Y%m%d}-{end:%Y%m%d}"
    title = _("Tình hình, kết quả giải quyết TTHC từ %(a)s đến %(b)s") % {
        "a": f"{start:%d/%m/%Y}",
        "b": f"{end:%d/%m/%Y}",
    }
    if fmt == "xlsx":
        return download(exports.periodic_xlsx(rows, title=title), fmt, name)
    if fmt == "pdf":
        unit = _scope_name(scope)
        content = exports.periodic_pdf(
            rows,
            title=f"{title} – {unit}" if unit else title,
            unit=unit,
            start=start,
            end=end,
            by_agency=form.cleaned_data["theo"] == "agency",
        )
        return download(content, fmt, name)
    return download(("\ufeff" + exports.periodic_csv(rows)).encode("utf-8"), fmt, name)
