"""The dossier register downloads (XLSX, CSV) never carry a live formula: an
applicant's name or address that a spreadsheet would run is written as text
with a leading quote (issue 18, item 2)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from dossiers.models import Dossier
from tests.dossiers import processing as flow
from tests.dossiers.processing import received

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tthc_portal.urls")]
clock = flow.clock
workflow_procedure = flow.workflow_procedure

HEAD = "lanhdao.tuphap"
NAME = '=HYPERLINK("http://evil.example","x")'
ADDRESSES = ["+1+1", "@SUM(A1)", "-2+3", "\tcmd"]


@pytest.fixture
def hostile(users, province, workflow_procedure, clock):
    """Four dossiers of Sở Tư pháp whose applicant typed formulas."""
    agency = None
    for day, address in enumerate(ADDRESSES, start=3):
        dossier = received(users, workflow_procedure, clock, 2025, 3, day, 9, 0)
        Dossier.objects.filter(pk=dossier.pk).update(
            applicant_name=NAME, applicant_address=address, applicant_phone=""
        )
        agency = dossier.receiving_agency
    return agency


def _download(client, users, agency, fmt: str) -> bytes:
    client.force_login(users[HEAD])
    query = {"co_quan": agency.pk, "tu_ngay": "2025-03-01", "den_ngay": "2025-03-31"}
    response = client.get(f"/so-theo-doi/tai-ve/{fmt}/", query)
    assert response.status_code == 200
    return response.content


def test_xlsx_holds_no_formula_and_quotes_the_hostile_text(client, users, hostile):
    sheet = load_workbook(io.BytesIO(_download(client, users, hostile, "xlsx"))).active
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6)]
    assert len(rows) == len(ADDRESSES)
    for number, (row, address) in enumerate(zip(rows, ADDRESSES, strict=True), start=1):
        assert row[0] == number  # the number stays a number
        assert row[3] == "'" + NAME  # Tổ chức, cá nhân
        assert row[4] == "'" + address  # Địa chỉ, số điện thoại


def test_csv_quotes_the_hostile_text(client, users, hostile):
    text = _download(client, users, hostile, "csv").decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))[1:]
    assert [row[3] for row in rows] == ["'" + NAME] * len(ADDRESSES)
    assert [row[4] for row in rows] == ["'" + address for address in ADDRESSES]
    for row in rows:
        assert not [cell for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
