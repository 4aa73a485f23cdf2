"""The six-monthly PAKN report (Decree 20/2008 Art. 22): rows, totals, CSV, XLSX."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tthc_portal.tabular import csv_write, xlsx_bytes

from ..models import Category, Channel
from ..selectors import pakn_report, period_bounds

REPORT_COLUMNS: list[tuple[str, object]] = [
    ("agency__name", _("Đơn vị")),
    ("received", pgettext_lazy("report column", "Tiếp nhận")),
    *[(f"channel_{c.value}", c.label) for c in Channel],
    *[(f"category_{c.value}", c.label) for c in Category],
    ("unclassified", _("Chưa phân loại")),
    ("subject_regulation", _("Về quy định, TTHC (5.1)")),
    ("subject_official", _("Về hành vi cán bộ (5.1)")),
    ("forwarded", _("Chuyển cơ quan có thẩm quyền")),
    ("handled", _("Đã xử lý")),
    ("handled_on_time", _("Xử lý đúng hạn")),
    ("handled_late", _("Xử lý trễ hạn")),
    ("published", _("Đã công khai")),
    ("open", _("Đang xử lý")),
    ("open_late", _("Đang xử lý, đã quá hạn")),
    ("likes", _("Lượt hài lòng")),
    ("dislikes", _("Lượt không hài lòng")),
    ("follow_ups", _("Phản ánh tiếp về kết quả")),
]
NUMERIC = [key for key, _label in REPORT_COLUMNS if key != "agency__name"]


def report_judged_at(end: date, now: datetime | None = None) -> datetime | None:
    """When a report whose end date is still to come judges open items: now
    (an item not yet due is not overdue). None: the report period is over,
    items are judged at its end."""
    _since, until = period_bounds(end, end)
    now = now or timezone.now()
    return now if now < until else None


def report_rows(
    start: date, end: date, agency_ids: list[int], *, now: datetime | None = None
) -> tuple[list[dict], dict]:
    """Rows per unit and the total line. While ``end`` is still to come the
    items are judged now (issue #14: not yet due ⇒ not overdue), else at the
    end of ``end``; received items are the same either way."""
    judged_at = report_judged_at(end, now)
    rows = pakn_report(start, judged_at or end, agency_ids)
    totals: dict = {key: sum(row[key] for row in rows) for key in NUMERIC}
    totals["agency__name"] = str(_("Tổng cộng"))
    return rows, totals


def _report_lines(rows: list[dict], totals: dict) -> list[list]:
    return [[row[key] for key, _label in REPORT_COLUMNS] for row in [*rows, totals]]


def report_csv(rows: list[dict], totals: dict) -> str:
    """The rows and the total line as CSV (UTF-8 with a BOM, for Excel)."""
    return csv_write(_report_lines(rows, totals), [label for _key, label in REPORT_COLUMNS])


def report_xlsx(rows: list[dict], totals: dict, start: date, end: date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "PAKN"
    sheet.append([str(_("BÁO CÁO KẾT QUẢ TIẾP NHẬN, XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ"))])
    sheet.append(
        [
            str(_("Kỳ báo cáo: từ %(a)s đến %(b)s"))
            % {"a": f"{start:%d/%m/%Y}", "b": f"{end:%d/%m/%Y}"}
        ]
    )
    sheet.append([])
    sheet.append([str(label) for _key, label in REPORT_COLUMNS])
    header_row = sheet.max_row
    for line in _report_lines(rows, totals):
        sheet.append(line)
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 40
    for index in range(2, len(REPORT_COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    return xlsx_bytes(book)
