"""The 766 dashboard downloads and the periodic report (form II.06a) never carry a
live formula: a unit whose name a spreadsheet would run is written as text with
a leading quote (issue 18, item 2)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dossiers.models import Status
from indicators.exports import periodic_csv, periodic_xlsx
from indicators.services.periodic_report import (
    periodic_report,
)
from tests.factories import PASSWORD
from tests.indicators.conftest import at
from tests.indicators.dashboard_data import MONTHS, build_tree, store_results

pytestmark = pytest.mark.django_db
START, END = date(2025, 4, 1), date(2025, 4, 30)
NAME = '=HYPERLINK("http://evil.example","x")'


def _formulas(book) -> list[str]:
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


@pytest.fixture
def office(client):
    tree = build_tree(departments=2, communes=1)
    tree.departments[0].name = NAME
    tree.departments[0].save(update_fields=["name"])
    client.period = store_results(tree, *MONTHS[1])
    assert client.login(username=tree.staff["office"].username, password=PASSWORD)
    return client


def test_766_xlsx_holds_no_formula(office):
    url = reverse("indicators:dashboard_download", args=["xlsx"])
    book = load_workbook(io.BytesIO(office.get(url, {"ky": office.period.pk}).content))
    assert _formulas(book) == []
    names = [row[1] for row in book["Sở ban ngành"].iter_rows(min_row=5, values_only=True)]
    assert "'" + NAME in names and NAME not in names


def test_766_csv_quotes_the_name(office):
    url = reverse("indicators:dashboard_download", args=["csv"])
    text = office.get(url, {"ky": office.period.pk}).content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert NAME not in [cell for row in rows for cell in row]
    (unit,) = [row for row in rows if "'" + NAME in row]
    assert unit[0].isdigit() and unit[1] == "'" + NAME  # the rank, then the name


@pytest.fixture
def hostile_unit(build, commune):
    commune.name = NAME
    commune.save(update_fields=["name"])
    build.dossier(
        channel=1, received_at=at(4, 14), due_at=at(4, 24, 17), status=Status.IN_PROCESSING
    )
    return commune


def test_periodic_report_files_quote_the_unit_name(hostile_unit):
    rows = periodic_report(start=START, end=END, group_by="agency")
    assert rows[0].name == NAME
    lines = list(csv.reader(io.StringIO(periodic_csv(rows))))
    assert lines[1][2] == "'" + NAME and lines[1][3] == "1"
    book = load_workbook(io.BytesIO(periodic_xlsx(rows, title="Tháng 4/2025")))
    assert _formulas(book) == []
    label = book.active.cell(4, 2).value
    assert label == f"'{NAME} ({hostile_unit.code})"
    assert book.active.cell(4, 3).value == 1  # the counts stay numbers
