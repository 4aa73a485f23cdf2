"""Downloads of the dashboard and of a unit's criterion table: the XLSX holds
exactly the numbers of the page, the CSV the same rows, the PDF is an A4
document with the Vietnamese names in it."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import PASSWORD
from tests.indicators.dashboard_data import MONTHS, build_tree, store_results

pytestmark = pytest.mark.django_db
A4 = (595, 842)  # points, portrait


@pytest.fixture
def office(client):
    tree = build_tree(departments=3, communes=2)
    store_results(tree, *MONTHS[0], shift=3)
    client.period = store_results(tree, *MONTHS[1])
    client.tree = tree
    assert client.login(username=tree.staff["office"].username, password=PASSWORD)
    return client


def _cells(sheet) -> list[list]:
    """Rows below the header row (the 4th), as read back from the file."""
    return [list(row) for row in sheet.iter_rows(min_row=5, values_only=True)]


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def test_dashboard_xlsx_matches_the_page(office):
    query = {"ky": office.period.pk}
    data = office.get(reverse("indicators:dashboard"), query).context["data"]
    response = office.get(reverse("indicators:dashboard_download", args=["xlsx"]), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="chi-so-766-2025-04.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Sở ban ngành", "Cấp xã"]
    expected = {
        "Tổng hợp": [[data.headline.name, *data.headline.groups, data.headline.total]],
        "Sở ban ngành": [[s.rank, s.name, *s.groups, s.total] for s in data.departments],
        "Cấp xã": [[s.rank, s.name, *s.groups, s.total] for s in data.communes],
    }
    for name, rows in expected.items():
        sheet = book[name]
        assert "Tháng 04/2025" in sheet["A2"].value
        got = _cells(sheet)
        assert len(got) == len(rows)
        for want, row in zip(rows, got, strict=True):
            width = len(want)
            texts = [v for v in want if isinstance(v, str)]
            numbers = [v for v in want if not isinstance(v, str)]
            read = row[:width]
            assert [v for v in read if isinstance(v, str)] == texts
            assert [_number(v) for v in read if not isinstance(v, str)] == numbers
    # The band and delta columns follow the total.
    departments = _cells(book["Sở ban ngành"])
    first = data.departments[0]
    assert departments[0][-2] == first.band
    assert _number(departments[0][-1]) == first.delta


def test_unit_xlsx_matches_the_criterion_table(office):
    department = office.tree.departments[1]
    query = {"ky": office.period.pk}
    report = office.get(reverse("indicators:unit", args=[department.pk]), query).context["report"]
    response = office.get(reverse("indicators:unit_download", args=[department.pk, "xlsx"]), query)
    sheet = load_workbook(io.BytesIO(response.content))["Chỉ tiêu"]
    rows = _cells(sheet)
    assert len(rows) == len(report.rows) + 1  # and the total
    for criterion, row in zip(report.rows, rows, strict=False):
        assert row[0] == criterion.code and row[1] == criterion.name
        if criterion.observable:
            assert _number(row[3]) == criterion.numerator
            assert _number(row[4]) == criterion.denominator
        else:
            assert row[3] is None and row[4] is None
            assert "Không tự quan sát được" in row[9]
        assert [_number(v) for v in row[5:9]] == [
            criterion.ratio,
            criterion.score,
            criterion.max_points,
            criterion.lost,
        ]
    assert _number(rows[-1][6]) == report.total and rows[-1][2] == report.band


def test_csv_has_the_same_rows(office):
    query = {"ky": office.period.pk}
    data = office.get(reverse("indicators:dashboard"), query).context["data"]
    response = office.get(reverse("indicators:dashboard_download", args=["csv"]), query)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    by_name = {row[1]: row for row in rows if len(row) > 2}
    for score in [*data.departments, *data.communes]:
        row = by_name[score.name]
        assert Decimal(row[2 + len(data.columns)]) == score.total
        assert row[0] == str(score.rank)


def _words(text: str) -> str:
    """PDF text with line breaks of wrapped cells undone."""
    return " ".join(text.split())


def test_pdfs_are_a4_with_vietnamese_text(office):
    query = {"ky": office.period.pk}
    dashboard = office.get(reverse("indicators:dashboard_download", args=["pdf"]), query)
    assert dashboard["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(dashboard.content))
    box = reader.pages[0].mediabox
    assert sorted((round(float(box.width)), round(float(box.height)))) == list(A4)
    assert float(box.width) > float(box.height)  # the ranking is printed landscape
    text = _words(" ".join(page.extract_text() for page in reader.pages))
    assert "Xếp hạng sở, ban, ngành" in text and "Sở Thử 1" in text
    unit = office.get(
        reverse("indicators:unit_download", args=[office.tree.departments[0].pk, "pdf"]), query
    )
    page = PdfReader(io.BytesIO(unit.content)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4
    assert "Hồ sơ giải quyết trước và đúng hạn" in _words(page.extract_text())


def test_unknown_format_or_period_is_not_found(office):
    assert office.get(reverse("indicators:dashboard_download", args=["doc"])).status_code == 404
    department = office.tree.departments[0]
    url = reverse("indicators:unit_download", args=[department.pk, "exe"])
    assert office.get(url).status_code == 404
