"""The PAKN report downloads never carry a live formula: a unit whose name a
spreadsheet would run is written as text with a leading quote (issue 18, item 2)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.feedback.conftest import JUSTICE, at, classified_and_forwarded

pytestmark = pytest.mark.django_db
PERIOD = {"tu_ngay": "2025-01-01", "den_ngay": "2025-06-30"}
NAME = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def office(client, users, tinh):
    tinh[JUSTICE].name = NAME
    tinh[JUSTICE].save(update_fields=["name"])
    classified_and_forwarded(users, tinh, at(2025, 3, 3, 9), at(2025, 3, 3, 10))
    client.force_login(users["vanphong"])
    return client


def test_csv_quotes_the_unit_name(office):
    response = office.get("/phan-anh-kien-nghi/bao-cao/tai-ve.csv", PERIOD)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    unit = rows[0]
    assert unit["Đơn vị"] == "'" + NAME
    assert unit["Tiếp nhận"] == "1"


def test_xlsx_holds_no_formula(office):
    response = office.get("/phan-anh-kien-nghi/bao-cao/tai-ve.xlsx", PERIOD)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    header = [cell.value for cell in sheet[4]]
    unit = [cell.value for cell in sheet[5]]
    assert unit[0] == "'" + NAME
    assert unit[header.index("Tiếp nhận")] == 1  # the counts stay numbers
