"""Downloads of the 766 pages: CSV, XLSX (openpyxl) and PDF (WeasyPrint, A4).

Each page is first reduced to ``Sheet`` objects holding exactly the values
the page shows (the same Decimals, rounded to 2 places by the engine), and
every format is written from those: the XLSX can be checked cell by cell
against the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tthc_portal.tabular import XLSX_TYPE, csv_write, xlsx_bytes

from .selectors import Column, Dashboard, UnitScore, period_dates
from .selectors_units import UnitReport
from .services.periodic_report import HEADERS as PERIODIC_HEADERS
from .services.periodic_report import PeriodicRow

FORMATS = ("csv", "xlsx", "pdf")


@dataclass
class Sheet:
    name: str  # XLSX sheet title (≤ 31 characters)
    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    subtitle: str = ""
    name_column: int = 1  # the wide column of names (1-based, as in the XLSX)

    @property
    def cells(self) -> list[list[tuple[Any, bool]]]:
        """Rows as (value, is a number) pairs, for the PDF's alignment."""
        return [
            [(v, isinstance(v, (int, Decimal)) and not isinstance(v, bool)) for v in row]
            for row in self.rows
        ]


# --- the tables of each page ------------------------------------------------------------


def _score_header(columns: Sequence[Column], first: Sequence[str]) -> list[str]:
    return [
        *first,
        *[f"{c.name} ({c.max_points.normalize():f})" for c in columns],
        _("Tổng điểm"),
        _("Xếp loại"),
        _("So với kỳ trước"),
    ]


def _score_row(score: UnitScore, ranked: bool) -> list[Any]:
    lead: list[Any] = [score.rank, score.name] if ranked else [score.name]
    return [*lead, *score.groups, score.total, score.band, score.delta]


def dashboard_sheets(data: Dashboard) -> list[Sheet]:
    period = f"{data.period.title} ({period_dates(data.period)})"
    sheets = []
    if data.headline is not None:
        sheets.append(
            Sheet(
                _("Tổng hợp"),
                _("Chỉ số 766: điểm tổng hợp"),
                _score_header(data.columns, [_("Đơn vị")]),
                [_score_row(data.headline, ranked=False)],
                period,
                1,
            )
        )
    for name, title, scores in (
        (_("Sở ban ngành"), _("Xếp hạng sở, ban, ngành"), data.departments),
        (_("Cấp xã"), _("Xếp hạng UBND cấp xã"), data.communes),
        (_("Đơn vị khác"), _("Đơn vị khác"), data.others),
    ):
        if scores or name != _("Đơn vị khác"):
            sheets.append(
                Sheet(
                    name,
                    title,
                    _score_header(data.columns, [_("Hạng"), _("Đơn vị")]),
                    [_score_row(s, ranked=True) for s in scores],
                    period,
                    2,
                )
            )
    return sheets


def count(value: Decimal | None) -> int | Decimal | None:
    """A count stored as a Decimal (the result rows keep 2 places) as an int, so
    files and printed pages show "5", not "5.00"; a fractional value (the 1.4
    fallback divides last year's volume) keeps its decimals."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def unit_sheets(report: UnitReport) -> list[Sheet]:
    header = [
        _("Mã"),
        _("Chỉ tiêu"),
        _("Nhóm"),
        _("Tử số"),
        _("Mẫu số"),
        _("Tỷ lệ (%)"),
        _("Điểm"),
        _("Điểm tối đa"),
        _("Điểm bị mất"),
        _("Ghi chú"),
    ]
    rows = []
    for r in report.rows:
        parts = [] if r.observable else [_("Không tự quan sát được")]
        if r.unverified:
            parts.append(r.source_label)
        note = ". ".join([*parts, r.note] if r.note else parts)
        rows.append(
            [
                r.code,
                r.name,
                r.group,
                count(r.numerator) if r.observable else None,
                count(r.denominator) if r.observable else None,
                r.ratio,
                r.score,
                r.max_points,
                r.lost,
                note,
            ]
        )
    rows.append(["", _("Tổng điểm"), report.band, "", "", "", report.total, "", "", ""])
    return [
        Sheet(
            _("Chỉ tiêu"),
            _("Chỉ số 766 của %(unit)s") % {"unit": report.name},
            header,
            rows,
            f"{report.period.title} ({period_dates(report.period)})",
            2,
        )
    ]


# --- writers -------------------------------------------------------------------------------


def to_csv(sheets: Sequence[Sheet]) -> bytes:
    lines: list[list[Any]] = []
    for index, sheet in enumerate(sheets):
        if index:
            lines.append([])
        lines.append([sheet.title])
        if sheet.subtitle:
            lines.append([sheet.subtitle])
        lines += [sheet.header, *sheet.rows]
    return csv_write(lines).encode("utf-8")


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name[:31])
        ws.append([sheet.title])
        ws.append([sheet.subtitle])
        ws.append([])
        ws.append(sheet.header)
        header_row = ws.max_row
        for row in sheet.rows:
            ws.append(row)
        ws["A1"].font = Font(bold=True, size=13)
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in ws.iter_rows(min_row=header_row + 1):
            for cell in row:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "0.00"
        for index, label in enumerate(sheet.header, start=1):
            width = 40 if index == sheet.name_column else max(10, min(24, len(str(label)) + 2))
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return xlsx_bytes(book)


def to_pdf(sheets: Sequence[Sheet], *, title: str, landscape: bool = False) -> bytes:
    from dossiers.services.pdf import html_to_pdf

    html = render_to_string(
        "indicators/pdf/tables.html",
        {
            "title": title,
            "sheets": sheets,
            "page_size": "A4 landscape" if landscape else "A4 portrait",
            "printed_at": timezone.localtime(),
            "language": translation.get_language() or "vi",
        },
    )
    return html_to_pdf(html)


def render(sheets: Sequence[Sheet], fmt: str, *, title: str, landscape: bool = False) -> bytes:
    if fmt == "csv":
        return to_csv(sheets)
    if fmt == "xlsx":
        return to_xlsx(sheets)
    if fmt == "pdf":
        return to_pdf(sheets, title=title, landscape=landscape)
    raise ValueError(f"unknown format {fmt!r}")


# --- the periodic report (form II.06a) ----------------------------------------------------------
# Its own layout (two header rows, a total row), so not a ``Sheet``; the same
# columns as the page, the on-time share last.

PERCENT_FORMAT = "0.00"


def periodic_counts(row: PeriodicRow) -> list[int]:
    return [getattr(row, name) for name, _label in PERIODIC_HEADERS]


def periodic_percent(row: PeriodicRow) -> float | None:
    """The page's "on-time" share: processed early or on time, % of processed,
    2 places (indicators-766.md §2 rounding); empty when nothing was processed."""
    share = row.on_time_percent
    return None if share is None else float(share)


def periodic_csv(rows: Sequence[PeriodicRow]) -> str:
    """UTF-8 text without a BOM (the view adds it for Excel), one line per row."""
    header = [
        _("STT"),
        _("Mã"),
        _("Lĩnh vực / đơn vị"),
        *[label for _name, label in PERIODIC_HEADERS],
        _("Tỷ lệ đúng hạn (%)"),
    ]
    lines = (
        [
            "" if row.is_total else number,
            row.code,
            row.name,
            *periodic_counts(row),
            "" if row.on_time_percent is None else f"{row.on_time_percent:.2f}",
        ]
        for number, row in enumerate(rows, 1)
    )
    return csv_write(lines, header, bom=False)


def periodic_xlsx(rows: Sequence[PeriodicRow], *, title: str) -> bytes:
    """Laid out like form II.06a: grouped headers, one row per line, total last.
    Counts are integer cells, the on-time share a number cell shown with 2 places."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Kết quả giải quyết TTHC"))[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    top = [_("STT"), _("Lĩnh vực / đơn vị"), _("Số hồ sơ nhận giải quyết"), "", "", "",
           _("Số hồ sơ đã giải quyết"), "", "", "",
           _("Số hồ sơ đang giải quyết"), "", "", _("Tỷ lệ đúng hạn (%)")]  # fmt: skip
    second = ["", "", _("Tổng số"), _("Trực tuyến"), _("Trực tiếp, bưu chính"),
              _("Từ kỳ trước"), _("Tổng số"), _("Trước hạn"), _("Đúng hạn"), _("Quá hạn"),
              _("Tổng số"), _("Trong hạn"), _("Quá hạn"), ""]  # fmt: skip
    sheet.append([str(v) for v in top])
    sheet.append([str(v) for v in second])
    for cells in ("A2:A3", "B2:B3", "C2:F2", "G2:J2", "K2:M2", "N2:N3"):
        sheet.merge_cells(cells)
    for line in (2, 3):
        for cell in sheet[line]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for number, row in enumerate(rows, start=1):
        label = row.name if not row.code else f"{row.name} ({row.code})"
        sheet.append(
            [
                None if row.is_total else number,
                label,
                *periodic_counts(row),
                periodic_percent(row),
            ]
        )
        line = sheet[sheet.max_row]
        line[-1].number_format = PERCENT_FORMAT
        for cell in line[2:-1]:
            cell.number_format = "0"
        if row.is_total:
            for cell in line:
                cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 48
    for index in range(3, 15):
        sheet.column_dimensions[get_column_letter(index)].width = 13
    sheet.freeze_panes = "C4"
    return xlsx_bytes(book)


def periodic_pdf(
    rows: Sequence[PeriodicRow],
    *,
    title: str,
    unit: str,
    start: Any,
    end: Any,
    by_agency: bool,
) -> bytes:
    """A4 landscape, the page's table with its two header rows, page numbers."""
    from dossiers.services.pdf import html_to_pdf

    html = render_to_string(
        "indicators/pdf/periodic.html",
        {
            "title": title,
            "unit": unit,
            "start": start,
            "end": end,
            "by_agency": by_agency,
            "rows": [(row, periodic_counts(row)) for row in rows],
            "printed_at": timezone.localtime(),
            "language": translation.get_language() or "vi",
        },
    )
    return html_to_pdf(html)


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE, "pdf": "application/pdf"}
