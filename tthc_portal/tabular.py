"""The one writer of the spreadsheets the portal hands out: every CSV and XLSX.

Spreadsheet programs run a cell whose text starts with ``=``, ``+``, ``-`` or ``@``
as a formula (some also after a leading tab or carriage return), and the portal
writes text that citizens typed: an applicant named ``=HYPERLINK("http://…","x")``
would otherwise put a live link in the register a desk officer opens. So every
cell goes through ``cell_safe``, which prefixes such text with a single quote,
as OWASP recommends against CSV injection. Only text is touched: numbers, dates,
Decimals and empty cells pass unchanged, so a negative number stays a number.

In XLSX files text cells are also stored as plain strings (``data_type "s"``),
never as formulas, whatever they start with.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
BOM = "\ufeff"  # Excel reads a UTF-8 CSV as UTF-8 only with a byte-order mark
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell_safe(value: Any) -> Any:
    """``value`` as it may go into a spreadsheet cell: text that a spreadsheet
    would read as a formula gets a leading ``'``; lazy translations become text."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return QUOTE + value
    return value


def cell_unquote(text: str) -> str:
    """Undo ``cell_safe`` on text read back (the catalogue importer reads the
    portal's own CSV export)."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def csv_write(
    rows: Iterable[Sequence[Any]], header: Sequence[Any] | None = None, *, bom: bool = True
) -> str:
    """CSV text, every cell through ``cell_safe``; with a byte-order mark unless
    the caller adds its own (``bom=False``). ``None`` is written as an empty cell."""
    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out)
    if header is not None:
        writer.writerow([cell_safe(value) for value in header])
    writer.writerows([cell_safe(value) for value in row] for row in rows)
    return out.getvalue()


def _xlsx_string(text: str) -> str:
    """``text`` as an XLSX string cell may hold it."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # openpyxl refuses the whole file over one control character: drop them, so
    # an odd name typed by a citizen cannot break a download.
    return cell_safe(ILLEGAL_CHARACTERS_RE.sub("", text))


def xlsx_cell(
    sheet: Worksheet,
    value: Any,
    *,
    bold: bool = False,
    wrap: bool = False,
    number_format: str | None = None,
) -> Cell:
    """A cell for ``sheet.append`` (also on a write-only sheet) that can never hold
    a formula; ``bold``/``wrap`` give the house header and long-text styles."""
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Font

    if isinstance(value, Promise):
        value = str(value)
    text = isinstance(value, str)
    # Placed at A1 for now: ``sheet.append`` moves it to its real position.
    cell = Cell(sheet, row=1, column=1, value=_xlsx_string(value) if text else value)
    if text:
        cell.data_type = "s"  # never "f", whatever the text starts with
    if bold:
        cell.font = Font(bold=True)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if number_format:
        cell.number_format = number_format
    return cell


def xlsx_append(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append a row to ``sheet``; values that are not cells yet go through ``xlsx_cell``."""
    from openpyxl.cell.cell import Cell

    sheet.append(
        [value if isinstance(value, Cell) else xlsx_cell(sheet, value) for value in values]
    )


def xlsx_bytes(book: Workbook) -> bytes:
    """The workbook as file content. A workbook that keeps its cells is checked
    cell by cell first, so text appended with plain ``sheet.append`` or set with
    ``sheet[...] =`` is made safe too; a write-only workbook has streamed its rows
    already, so those must be built with ``xlsx_cell``/``xlsx_append``."""
    if not book.write_only:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.value = _xlsx_string(cell.value)
                        cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = [
    "BOM",
    "FORMULA_PREFIXES",
    "XLSX_TYPE",
    "cell_safe",
    "cell_unquote",
    "csv_write",
    "xlsx_append",
    "xlsx_bytes",
    "xlsx_cell",
]
