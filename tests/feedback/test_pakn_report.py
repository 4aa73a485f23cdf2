"""The six-monthly report: received, handled, on time / late, by class and unit;
the same figures on the page, in CSV and in XLSX."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from feedback.models import Category
from feedback.services import pakn
from tests.feedback.conftest import HEALTH, JUSTICE, at, submit_pakn

pytestmark = pytest.mark.django_db
PERIOD = {"tu_ngay": "2025-01-01", "den_ngay": "2025-06-30"}


@pytest.fixture
def records(users, tinh):
    office = users["vanphong"]
    on_time = submit_pakn(at(2025, 3, 3, 9))
    pakn.feedback_classify(actor=office, item=on_time, category=Category.REGULATION_IN_SCOPE)
    pakn.feedback_forward(actor=office, item=on_time, agency=tinh[JUSTICE], at=at(2025, 3, 3, 10))
    pakn.feedback_answer(actor=users["lanhdao.tuphap"], item=on_time, answer="Đã xử lý xong.",
                         at=at(2025, 3, 10, 9))  # fmt: skip
    pakn.feedback_approve_publication(actor=office, item=on_time, at=at(2025, 3, 11, 9))
    pakn.feedback_publish(actor=office, item=on_time, at=at(2025, 3, 12, 9))
    late = submit_pakn(at(2025, 3, 3, 9))
    pakn.feedback_classify(actor=office, item=late, category=Category.IMPLEMENTATION_BEHAVIOUR)
    pakn.feedback_forward(actor=office, item=late, agency=tinh[JUSTICE], at=at(2025, 3, 3, 10))
    pakn.feedback_answer(actor=users["lanhdao.tuphap"], item=late, answer="Đã nhắc nhở cán bộ.",
                         at=at(2025, 4, 1, 9))  # fmt: skip
    pakn.feedback_approve_publication(actor=office, item=late, at=at(2025, 4, 2, 9))
    health = submit_pakn(at(2025, 5, 5, 9))
    pakn.feedback_classify(actor=office, item=health, category=Category.REGULATION_IN_SCOPE)
    pakn.feedback_forward(actor=office, item=health, agency=tinh[HEALTH], at=at(2025, 5, 5, 10))
    refused = submit_pakn(at(2025, 6, 2, 9))
    pakn.feedback_refuse(actor=office, item=refused, reason="Là đơn tố cáo.", at=at(2025, 6, 2, 10))
    submit_pakn(at(2025, 7, 1, 9))  # outside the period
    return tinh


def test_page_csv_and_xlsx_agree(client, users, records):
    client.force_login(users["vanphong"])
    html = client.get("/phan-anh-kien-nghi/bao-cao/", PERIOD).content.decode()
    assert "Sở Tư pháp" in html and "Sở Y tế" in html and "Tổng cộng" in html

    response = client.get("/phan-anh-kien-nghi/bao-cao/tai-ve.csv", PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    justice = next(r for r in rows if r["Đơn vị"] == "Sở Tư pháp")
    assert (justice["Tiếp nhận"], justice["Đã xử lý"]) == ("2", "2")
    assert (justice["Xử lý đúng hạn"], justice["Xử lý trễ hạn"]) == ("1", "1")
    assert justice["Về quy định thuộc thẩm quyền"] == "1"
    total = rows[-1]
    assert total["Đơn vị"] == "Tổng cộng" and total["Tiếp nhận"] == "4"
    assert total["Không đủ điều kiện tiếp nhận"] == "1" and total["Đang xử lý"] == "1"

    response = client.get("/phan-anh-kien-nghi/bao-cao/tai-ve.xlsx", PERIOD)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = values[3]
    last = values[-1]
    assert last[0] == "Tổng cộng" and last[header.index("Tiếp nhận")] == 4
    assert last[header.index("Xử lý trễ hạn")] == 1


def test_a_department_reports_only_its_own_items(client, users, records):
    client.force_login(users["lanhdao.yte"])
    response = client.get("/phan-anh-kien-nghi/bao-cao/tai-ve.csv", PERIOD)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["Đơn vị"] for r in rows] == ["Sở Y tế", "Tổng cộng"]
    client.force_login(users["001085012345"])
    assert client.get("/phan-anh-kien-nghi/bao-cao/").status_code == 403
