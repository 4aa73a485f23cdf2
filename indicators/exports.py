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

from .selectors import Column, Dashboard, UnitReport, UnitScore, period_dates

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
                r.numerator if r.observable else None,
                r.denominator if r.observable else None,
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


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE, "pdf": "application/pdf"}
