"""Downloads of the periodic report (form II.06a) keep the page's on-time share;
XLSX cells are numbers; the PDFs (periodic report, unit criterion table) print
counts as whole numbers (issue 14, item 13).

The known dataset is the worked example of indicators-766.md §10 for Xã A,
15/03-14/04/2025: D1-D8 are processed, D3 and D4 late, so 6 of 8 = 75.00%
processed on time; D9 is open within its deadline, D10 open and overdue."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import PASSWORD, make_staff
from tests.indicators.dashboard_data import MONTHS, build_tree, store_results
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.services import agency_groups_sync

pytestmark = pytest.mark.django_db
QUERY = {"tu_ngay": "2025-03-15", "den_ngay": "2025-04-14", "theo": "agency"}
ON_TIME = "Tỷ lệ đúng hạn (%)"


@pytest.fixture
def office(client, commune, worked_example):
    for agency in (commune.parent, commune):
        agency_groups_sync(agency)
    user = make_staff(Role.PROVINCIAL_STAFF, commune.parent)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _download(client, fmt: str, query: dict | None = None) -> bytes:
    response = client.get(reverse("indicators:periodic_download", args=[fmt]), query or QUERY)
    assert response.status_code == 200, response
    return response.content


def _pdf_text(content: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def test_csv_keeps_the_on_time_column(office, commune):
    text = _download(office, "csv").decode("utf-8").lstrip("\ufeff")
    header, row, total = list(csv.reader(io.StringIO(text)))
    assert header[-1] == ON_TIME
    assert row[2] == commune.name and total[2] == "Tổng cộng"
    # early + on time = 6 of 8 processed; the counts before it are unchanged
    early, on_time, late = (int(row[header.index(h)]) for h in (
        "Đã giải quyết: trước hạn", "Đã giải quyết: đúng hạn", "Đã giải quyết: quá hạn"
    ))  # fmt: skip
    assert (early + on_time, late) == (6, 2)
    assert row[-1] == total[-1] == "75.00"


def test_csv_on_time_is_empty_when_nothing_was_processed(office):
    # Only D9 (received 10/04, still open) falls in 01/04-14/04 with nothing processed.
    text = _download(office, "csv", {**QUERY, "tu_ngay": "2025-04-01"}).decode("utf-8")
    *_rows, total = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = _rows[0]
    assert total[header.index("Đã giải quyết: tổng số")] == "0"
    assert total[-1] == ""


def test_xlsx_cells_are_numbers(office, commune):
    sheet = load_workbook(io.BytesIO(_download(office, "xlsx"))).active
    assert sheet["N2"].value == ON_TIME
    first, last = 4, sheet.max_row
    assert last == first + 1  # the commune, then the total
    for line in range(first, last + 1):
        counts = [sheet.cell(line, column) for column in range(3, 14)]
        assert all(c.data_type == "n" and type(c.value) is int for c in counts)
        share = sheet.cell(line, 14)
        # a number cell (openpyxl reads 75.0 back as 75: the file has no int/float type)
        assert share.data_type == "n" and isinstance(share.value, (int, float))
        assert share.value == pytest.approx(75.0) and share.number_format == "0.00"
    assert sheet.cell(first, 1).value == 1 and sheet.cell(first, 3).value == 10
    assert sheet.cell(last, 2).value == "Tổng cộng"


def test_pdf_is_a4_landscape_with_heading_unit_period_and_whole_counts(office, commune):
    content = _download(office, "pdf")
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    words = " ".join(text.split())
    assert "Báo cáo tình hình, kết quả giải quyết TTHC" in words
    assert commune.parent.name in words and "15/03/2025" in words and "14/04/2025" in words
    assert "Trang 1/1" in words
    label = f"{commune.name} ({commune.code})"
    line = next(x for x in text.splitlines() if label in x)
    numbers = re.findall(r"\d+(?:[.,]\d+)?", line.split(label, 1)[1])
    # received 10 (6 online, 4 at the desk or by post, 0 carried over); processed 8
    # (early/on time 6, late 2); in progress 2 (1 within, 1 overdue); 75.00%
    assert numbers == ["10", "6", "4", "0", "8", "6", "0", "2", "2", "1", "1", "75,00"]
    size = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    assert "841.89 x 595.276" in size.stdout.decode()  # A4 landscape, in points


def test_report_page_links_the_pdf(office):
    body = office.get(reverse("indicators:periodic_report"), QUERY).content.decode()
    assert reverse("indicators:periodic_download", args=["pdf"]) in body


@pytest.fixture
def dashboard_office(client):
    tree = build_tree(departments=2, communes=1)
    client.period = store_results(tree, *MONTHS[1])
    client.tree = tree
    assert client.login(username=tree.staff["office"].username, password=PASSWORD)
    return client


def test_unit_pdf_and_xlsx_show_counts_as_whole_numbers(dashboard_office):
    department = dashboard_office.tree.departments[0]
    query = {"ky": dashboard_office.period.pk}
    report = dashboard_office.get(reverse("indicators:unit", args=[department.pk]), query).context[
        "report"
    ]
    rows = [r for r in report.rows if r.observable]
    assert rows and all(r.numerator == r.numerator.to_integral_value() for r in rows)
    url = reverse("indicators:unit_download", args=[department.pk, "pdf"])
    text = _pdf_text(dashboard_office.get(url, query).content)
    for criterion in rows:
        line = next(x for x in text.splitlines() if x.strip().startswith(criterion.code + " "))
        # the numerator and denominator are the first numbers after the group name
        whole = f" {int(criterion.numerator)} +{int(criterion.denominator)} "
        assert re.search(whole, line), (criterion.code, line)
    url = reverse("indicators:unit_download", args=[department.pk, "xlsx"])
    sheet = load_workbook(io.BytesIO(dashboard_office.get(url, query).content))["Chỉ tiêu"]
    cells = {r[0].value: r for r in sheet.iter_rows(min_row=5)}
    for criterion in rows:
        numerator, denominator = cells[criterion.code][3], cells[criterion.code][4]
        assert type(numerator.value) is int and type(denominator.value) is int
        assert Decimal(numerator.value) == criterion.numerator


def test_new_writers_keep_a_hostile_unit_name_as_text(office, commune):
    # The on-time column and number formats must not bypass tabular's formula guard.
    name = '=HYPERLINK("http://evil.example","x")'
    commune.name = name
    commune.save(update_fields=["name"])
    text = _download(office, "csv").decode("utf-8").lstrip("\ufeff")
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[2] == "'" + name and row[-1] == "75.00"
    book = load_workbook(io.BytesIO(_download(office, "xlsx")))
    cells = [c for line in book.active.iter_rows() for c in line]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert book.active.cell(4, 2).value == f"'{name} ({commune.code})"
