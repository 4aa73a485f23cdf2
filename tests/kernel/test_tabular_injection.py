"""The shared spreadsheet writer: text a spreadsheet would run as a formula gets a
leading quote, in CSV and XLSX; numbers, dates and empty cells keep their type."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from tthc_portal.tabular import (
    cell_safe,
    cell_unquote,
    csv_write,
    xlsx_append,
    xlsx_bytes,
    xlsx_cell,
)

DANGEROUS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tcmd",
    "\rcmd",
    "=1+2",
    "-",
]
HARMLESS = ["Nguyễn Văn An", "0912345678", "Phường 1 - Quận 3", "a=b", " =1", "'quoted", ""]
KEPT = [0, 7, -5, -2.5, Decimal("-1.25"), Decimal("3.00"), date(2025, 3, 1),
        datetime(2025, 3, 3, 9, 0), None, True]  # fmt: skip


@pytest.mark.parametrize("text", DANGEROUS)
def test_dangerous_text_gets_a_leading_quote(text):
    assert cell_safe(text) == "'" + text
    assert cell_unquote(cell_safe(text)) == text


@pytest.mark.parametrize("text", HARMLESS)
def test_ordinary_text_is_unchanged(text):
    assert cell_safe(text) == text
    assert cell_unquote(text) == text


@pytest.mark.parametrize("value", KEPT, ids=repr)
def test_numbers_dates_and_empty_cells_keep_their_type(value):
    assert cell_safe(value) is value


def test_lazy_translations_become_text():
    assert cell_safe(gettext_lazy("Tổng cộng")) == "Tổng cộng"
    assert type(cell_safe(gettext_lazy("Tổng cộng"))) is str


def test_csv_cells_are_quoted_and_numbers_stay_numbers():
    text = csv_write([[*DANGEROUS, -5, Decimal("-1.25"), None]], header=["=A", "Tên"])
    assert text.startswith("\ufeff")
    header, row = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert header == ["'=A", "Tên"]
    assert row[: len(DANGEROUS)] == ["'" + value for value in DANGEROUS]
    assert row[len(DANGEROUS) :] == ["-5", "-1.25", ""]
    assert not csv_write([["a"]], bom=False).startswith("\ufeff")


def _cells(content: bytes) -> list:
    return [cell for row in load_workbook(io.BytesIO(content)).active.iter_rows() for cell in row]


@pytest.mark.parametrize("write_only", [False, True], ids=["workbook", "write-only"])
def test_xlsx_cells_are_strings_never_formulas(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("S") if write_only else book.active
    xlsx_append(sheet, [*DANGEROUS, xlsx_cell(sheet, "=1+1", bold=True), -5])
    xlsx_append(sheet, [Decimal("-1.25"), datetime(2025, 3, 3, 9, 0), None, "Nguyễn Văn An"])
    cells = _cells(xlsx_bytes(book))
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    first = [cell.value for cell in cells[: len(DANGEROUS) + 2]]
    assert first == ["'" + value for value in DANGEROUS] + ["'=1+1", -5]
    assert [cell.value for cell in cells[len(DANGEROUS) + 2 :]][:4] == [
        -1.25,
        datetime(2025, 3, 3, 9, 0),
        None,
        "Nguyễn Văn An",
    ]


def test_xlsx_cells_appended_the_plain_way_are_made_safe_on_saving():
    book = Workbook()
    sheet = book.active
    sheet.append(['=HYPERLINK("http://evil.example","x")', "@SUM(A1)", -3, "#N/A"])
    sheet["A2"] = "=1+1"
    cells = _cells(xlsx_bytes(book))
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert [cell.value for cell in cells][:5] == [
        '\'=HYPERLINK("http://evil.example","x")',
        "'@SUM(A1)",
        -3,
        "#N/A",  # text, not an error value
        "'=1+1",
    ]
    assert cells[3].data_type == "s"


def test_control_characters_do_not_break_the_file():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("S")
    xlsx_append(sheet, ["\x01=1+1", "Nguyễn\x0bVăn An"])
    assert [cell.value for cell in _cells(xlsx_bytes(book))] == ["'=1+1", "NguyễnVăn An"]
