"""The catalogue CSV (public download and ``export_procedures``) never carries a
formula: text a spreadsheet would run gets a leading quote, and the importer
takes that quote off again, so export → import still round-trips (issue 18, item 2)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal_site.demo import seed_agencies
from procedures.models import Procedure
from tests.procedures.test_import_export import _wipe_catalogue, run

pytestmark = pytest.mark.django_db
NAME = '=HYPERLINK("http://evil.example","x")'
COMPONENT = "-Bản sao giấy tờ"
RESULT = "@SUM(A1)"
SOURCE = (
    "code,name,field,level,implementing_agency,time_value,time_unit,fee_vnd,online_fee_vnd,"
    "online_level,channels,legal_basis,components,result,boundary_free\n"
    f'2.000884,"{NAME.replace(chr(34), chr(34) * 2)}",Chứng thực,xã,UBND cấp xã,'
    f"1,working_days,2000,,,in_person,Nghị định 23/2015/NĐ-CP,{COMPONENT},{RESULT},true\n"
)


@pytest.fixture
def hostile(tmp_path):
    seed_agencies()
    path = tmp_path / "nguon.csv"
    path.write_text(SOURCE, encoding="utf-8")
    assert "Thủ tục mới: 1" in run("import_procedures", str(path), "--publish-new")
    version = Procedure.objects.get(code="2.000884").current_version
    assert version.name == NAME
    return version


def _row(text: str) -> dict[str, str]:
    (row,) = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return row


def test_public_csv_quotes_formula_text(hostile):
    response = APIClient().get(reverse("procedures_api:catalogue-export-csv"))
    row = _row(response.content.decode("utf-8"))
    assert row["name"] == "'" + NAME
    assert row["components"] == "'" + COMPONENT
    assert row["result"] == "'" + RESULT
    assert row["fee_vnd"] == "2000"


def test_exported_csv_reimports_the_original_text(hostile, tmp_path):
    target = tmp_path / "export.csv"
    run("export_procedures", "--format", "csv", "-o", str(target))
    assert _row(target.read_text(encoding="utf-8-sig"))["name"] == "'" + NAME
    _wipe_catalogue()
    assert "Thủ tục mới: 1" in run("import_procedures", str(target), "--publish-new")
    version = Procedure.objects.get(code="2.000884").current_version
    assert version.name == NAME
    assert version.result_text == RESULT
    assert [c.name for c in version.components.all()] == [COMPONENT]
