"""Waiting and service time statistics for the centre's managers: a table and
a chart per hour, and the same rows as CSV or XLSX."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tthc_portal.tabular import csv_write, xlsx_append, xlsx_bytes

from .. import selectors
from ..forms import StatisticsForm
from .desk import staff_only


def _period(request: HttpRequest) -> tuple[StatisticsForm, list[dict]]:
    today = timezone.localdate()
    data = request.GET or {"date_from": today - timedelta(days=6), "date_to": today}
    form = StatisticsForm(data)
    rows: list[dict] = []
    if form.is_valid():
        rows = selectors.queue_statistics(
            selectors.counters_for_statistics(request.user),
            form.cleaned_data["date_from"],
            form.cleaned_data["date_to"],
        )
    return form, rows


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


HEADER = (
    _("Ngày"), _("Giờ"), _("Quầy"), _("Nhóm dịch vụ"), _("Số vé"), _("Đã phục vụ"),
    _("Vắng mặt"), _("Chờ trung bình (phút)"), _("Chờ lâu nhất (phút)"),
    _("Phục vụ trung bình (phút)"), _("Phục vụ lâu nhất (phút)"),
)  # fmt: skip


def _table(rows: list[dict]) -> list[list]:
    return [
        [row["day"], row["hour"], row["counter__number"],
         f'{row["service_group__letter"]} – {row["service_group__name"]}', row["tickets"],
         row["served"], row["skipped"], _minutes(row["wait_avg"]), _minutes(row["wait_max"]),
         _minutes(row["service_avg"]), _minutes(row["service_max"])]
        for row in rows
    ]  # fmt: skip


@login_required
@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    form, rows = _period(request)
    return render(
        request,
        "queueing/statistics.html",
        {"form": form, "header": HEADER, "table": _table(rows),
         "chart": selectors.statistics_by_hour(rows)},
    )  # fmt: skip


@login_required
@require_safe
def statistics_export(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    _form, rows = _period(request)
    table = _table(rows)
    if request.GET.get("dinh_dang") == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "Thong ke xep hang"
        xlsx_append(sheet, [str(h) for h in HEADER])
        for row in table:
            xlsx_append(sheet, row)
        response = HttpResponse(
            xlsx_bytes(book),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="thong-ke-xep-hang.xlsx"'
        return response
    response = HttpResponse(csv_write(table, [str(h) for h in HEADER]),
                            content_type="text/csv; charset=utf-8")  # fmt: skip
    response["Content-Disposition"] = 'attachment; filename="thong-ke-xep-hang.csv"'
    return response
