"""Form 07, the dossier register: the rows (one query), the PDF on A4
landscape with its header on every page, the XLSX and CSV exports, and the
desk page scoped to the user's agencies."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from dossiers.models import Dossier
from dossiers.models.dossier import new_lookup_token
from dossiers.services import DossierError
from dossiers.services.apology import apology_issue
from dossiers.services.closing import dossier_return
from dossiers.services.lifecycle import dossier_transition
from dossiers.services.register import (
    register_agencies,
    register_csv,
    register_pdf,
    register_period_check,
    register_rows,
    register_xlsx,
)
from procedures.models import Field
from tests.dossiers import processing as flow
from tests.dossiers.conftest import HEALTH, JUSTICE
from tests.dossiers.processing import TZ, at, in_processing, received
from tests.dossiers.test_forms_pdf import assert_contains, compact, text_of

pytestmark = pytest.mark.django_db
clock = flow.clock
workflow_procedure = flow.workflow_procedure

urls_here = pytest.mark.urls("tthc_portal.urls")

A4_LANDSCAPE = (841.89, 595.28)
DESK, HEAD = "motcua.tuphap", "lanhdao.tuphap"
MARCH = {"start": date(2025, 3, 1), "end": date(2025, 3, 31)}


@pytest.fixture
def register(users, province, workflow_procedure, clock):
    """Four dossiers of Sở Tư pháp in March 2025 — one returned at the desk,
    one with an apology — one in April, and one received at Sở Y tế."""
    first = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    clock.set(2025, 3, 4, 10, 0)
    first = dossier_transition(actor=users[HEAD], dossier=first, action="approve")
    clock.set(2025, 3, 5, 15, 30)
    dossier_return(actor=users[DESK], dossier=first, method="desk", returned_to="Trần Văn Nhận")

    apologised = in_processing(users, workflow_procedure, clock, 2025, 3, 10, 14, 0)
    clock.set(2025, 3, 11, 9, 0)
    apology_issue(
        actor=users[HEAD], dossier=apologised, reason="Chờ xác minh",
        new_due_at=at(2025, 3, 20, 17, 0),
    )  # fmt: skip
    received(users, workflow_procedure, clock, 2025, 3, 31, 16, 59)
    received(users, workflow_procedure, clock, 2025, 3, 17, 8, 0)
    received(users, workflow_procedure, clock, 2025, 4, 1, 8, 0)  # next month
    elsewhere = received(users, workflow_procedure, clock, 2025, 3, 12, 9, 0)
    Dossier.objects.filter(pk=elsewhere.pk).update(receiving_agency=province[HEALTH])
    return province[JUSTICE]


# --- rows ----------------------------------------------------------------------------


def test_rows_in_one_query_oldest_first_with_every_column(register, users):
    with CaptureQueriesContext(connection) as queries:
        rows = register_rows(agencies=[register], **MARCH)
    assert len(queries) == 1
    assert [row.number for row in rows] == [1, 2, 3, 4]
    assert [row.code for row in rows] == [
        "000.00.10.H99-250303-0001",
        "000.00.10.H99-250310-0001",
        "000.00.10.H99-250317-0001",
        "000.00.10.H99-250331-0001",  # 16:59 on the last day still counts
    ]
    returned, apologised = rows[0], rows[1]
    assert returned.procedure.startswith("Bổ nhiệm")
    assert returned.applicant == "Nguyễn Văn An"
    assert returned.contact == "Phường Phố Hiến, tỉnh Demo – 0912345678"
    assert returned.agency == "Sở Tư pháp"
    assert returned.received_at == at(2025, 3, 3, 9, 0)
    assert returned.due_at == at(2025, 3, 7, 9, 0)
    assert returned.returned_at == at(2025, 3, 5, 15, 30)
    assert returned.return_method == "Tại Bộ phận Một cửa"
    assert returned.returned_to == "Trần Văn Nhận"
    assert returned.original_due_at is None
    assert apologised.due_at == at(2025, 3, 20, 17, 0)
    assert apologised.original_due_at == at(2025, 3, 14, 14, 0)
    assert apologised.returned_at is None and apologised.return_method == ""


def test_rows_by_field_and_by_agency(register, province):
    field = Dossier.objects.filter(receiving_agency=register).first().procedure_version.field
    other = Field.objects.exclude(pk=field.pk).first()
    assert len(register_rows(agencies=[register], field=field, **MARCH)) == 4
    assert register_rows(agencies=[register], field=other, **MARCH) == []
    health = register_rows(agencies=[province[HEALTH]], **MARCH)
    assert [row.code for row in health] == ["000.00.10.H99-250312-0001"]
    both = register_rows(agencies=[register, province[HEALTH]], **MARCH)
    assert len(both) == 5


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2025, 3, 2), date(2025, 3, 1), "Ngày bắt đầu phải trước"),
        (date(2025, 1, 1), date(2026, 1, 2), "tối đa một năm"),
        (None, date(2025, 1, 1), "Hãy chọn cả ngày bắt đầu"),
    ],
)
def test_the_period_is_checked(start, end, message):
    with pytest.raises(DossierError) as refused:
        register_period_check(start, end)
    assert message in refused.value.message


def test_a_whole_leap_year_is_allowed():
    register_period_check(date(2024, 1, 1), date(2024, 12, 31))
    register_period_check(date(2025, 3, 1), date(2026, 3, 1))


# --- exports ---------------------------------------------------------------------------


def test_pdf_is_a4_landscape_with_every_column(register):
    with CaptureQueriesContext(connection) as queries:
        content = register_pdf(agencies=[register], **MARCH)
    assert len(queries) <= 3  # the rows, plus the header's parent body and desk
    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE, abs=1)
    text = text_of(reader)
    assert_contains(text, [
        "SỔ THEO DÕI HỒ SƠ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "UBND TỈNH DEMO",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH",
        "Cơ quan tiếp nhận: Sở Tư pháp",
        "từ ngày 01/03/2025 đến ngày 31/03/2025 (4 hồ sơ)",
        "STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Tổ chức, cá nhân",
        "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Nhận hồ sơ",
        "Hẹn trả kết quả", "Trả kết quả", "Phương thức nhận kết quả", "Ký nhận",
        "Nguyễn Văn An",
        "0912345678",
        "Sở Tư pháp",
        "09:00 03/03/2025",  # received
        "09:00 07/03/2025",  # appointment
        "15:30 05/03/2025",  # returned
        "Tại Bộ phận Một cửa",
        "Trần Văn Nhận",
        "17:00 20/03/2025",  # the new appointment…
        "(hẹn ban đầu 14:00 14/03/2025)",  # …and the original one
    ])  # fmt: skip
    for code in ("250303-0001", "250310-0001", "250317-0001", "250331-0001"):
        assert f"000.00.10.H99-{code}" in compact(text)
    assert "250401" not in text and "250312" not in text
    assert "2025/STD-TTPVHCC(BPTNTKQ)" in compact(text)


def _clone(dossier: Dossier, count: int) -> None:
    """Volume for paging: copies of a received dossier (the lifecycle is not under test)."""
    copies = []
    for index in range(count):
        copy = Dossier.objects.get(pk=dossier.pk)
        copy.pk = None
        copy.code = f"000.00.10.H99-250318-{index + 1:04d}"
        copy.lookup_token = new_lookup_token()
        copy.received_at = datetime(2025, 3, 18, 8, 0, tzinfo=TZ).replace(minute=index % 60)
        copies.append(copy)
    Dossier.objects.bulk_create(copies)


def test_pdf_repeats_the_table_header_on_every_page(register):
    _clone(Dossier.objects.get(code="000.00.10.H99-250317-0001"), 56)
    content = register_pdf(agencies=[register], **MARCH)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        text = " ".join(page.extract_text().split())
        assert "Cơ quan chủ trì giải quyết" in text and "Phương thức nhận kết quả" in text
    assert "Trang 2/" in reader.pages[1].extract_text()


def test_xlsx_has_a_header_row_widths_and_real_dates(register):
    with CaptureQueriesContext(connection) as queries:
        content = register_xlsx(agencies=[register], **MARCH)
    assert len(queries) == 1
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "SỔ THEO DÕI HỒ SƠ"
    assert "STD-TTPVHCC (BPTNTKQ)" in sheet["A2"].value
    assert sheet["A3"].value == "Cơ quan tiếp nhận: Sở Tư pháp"
    header = [cell.value for cell in sheet[5]]
    assert header[:2] == ["STT", "Mã hồ sơ"] and header[-1] == "Ký nhận (người nhận kết quả)"
    assert all(cell.font.bold for cell in sheet[5])
    assert sheet.column_dimensions["C"].width >= 40  # the procedure name
    first = [cell.value for cell in sheet[6]]
    assert first[:2] == [1, "000.00.10.H99-250303-0001"]
    assert first[3] == "Nguyễn Văn An"
    assert first[6] == datetime(2025, 3, 3, 9, 0)  # local wall-clock time
    assert first[7] == datetime(2025, 3, 7, 9, 0)
    assert first[9] == datetime(2025, 3, 5, 15, 30)
    assert first[10:] == ["Tại Bộ phận Một cửa", "Trần Văn Nhận"]
    assert sheet.cell(row=6, column=7).number_format == "dd/mm/yyyy hh:mm"
    second = [cell.value for cell in sheet[7]]
    assert second[7] == datetime(2025, 3, 20, 17, 0) and second[8] == datetime(2025, 3, 14, 14, 0)
    assert sheet.max_row == 5 + 4


def test_csv_is_utf8_with_a_bom_for_excel(register):
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        text = register_csv(agencies=[register], **MARCH)  # an official paper: Vietnamese
    assert len(queries) == 1
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    assert len(rows) == 1 + 4
    assert rows[1][0] == "1" and rows[1][1] == "000.00.10.H99-250303-0001"
    assert rows[1][6:] == [
        "09:00 03/03/2025", "09:00 07/03/2025", "", "15:30 05/03/2025",
        "Tại Bộ phận Một cửa", "Trần Văn Nhận",
    ]  # fmt: skip
    assert rows[2][7:9] == ["17:00 20/03/2025", "14:00 14/03/2025"]
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")


# --- the desk page -----------------------------------------------------------------------


def test_only_desk_officers_and_heads_keep_a_register(users, province):
    assert list(register_agencies(users[DESK])) == [province[JUSTICE]]
    assert list(register_agencies(users[HEAD])) == [province[JUSTICE]]
    assert not register_agencies(users["chuyenvien.tuphap"]).exists()
    assert not register_agencies(users["001085012345"]).exists()


def _query(agency, start="2025-03-01", end="2025-03-31", **extra) -> dict:
    return {"co_quan": agency.pk, "tu_ngay": start, "den_ngay": end, **extra}


@urls_here
def test_page_is_for_the_desk_and_heads_only(client, users, province):
    response = client.get("/so-theo-doi/")
    assert response.status_code == 302 and "/tai-khoan/" in response["Location"]
    for outsider in ("001085012345", "chuyenvien.tuphap"):
        client.force_login(users[outsider])
        assert client.get("/so-theo-doi/").status_code == 404
    client.force_login(users[HEAD])
    assert client.get("/so-theo-doi/").status_code == 200


@urls_here
def test_page_previews_the_register_and_links_the_downloads(client, users, register):
    client.force_login(users[DESK])
    response = client.get("/so-theo-doi/", _query(register))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sở Tư pháp: 4 hồ sơ." in page
    assert "000.00.10.H99-250303-0001" in page and "Trần Văn Nhận" in page
    assert "000.00.10.H99-250401-0001" not in page
    assert "hẹn ban đầu 14:00 14/03/2025" in page
    assert "/so-theo-doi/tai-ve/pdf/?co_quan=" in page
    assert "style=" not in page and "<style" not in page and "<script>" not in page


@urls_here
def test_page_pages_by_fifty_in_a_fixed_number_of_queries(
    client, users, register, django_assert_max_num_queries
):
    _clone(Dossier.objects.get(code="000.00.10.H99-250317-0001"), 56)
    client.force_login(users[DESK])
    with django_assert_max_num_queries(12):
        first = client.get("/so-theo-doi/", _query(register))
    page = first.content.decode()
    assert "Sở Tư pháp: 60 hồ sơ." in page
    assert page.count('data-label="STT"') == 50
    second = client.get("/so-theo-doi/", _query(register, trang=2)).content.decode()
    assert second.count('data-label="STT"') == 10
    assert ">51<" in second and ">60<" in second and "000.00.10.H99-250331-0001" in second


@urls_here
@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2025-03-31", "2025-03-01", "Ngày bắt đầu phải trước hoặc trùng ngày kết thúc."),
        ("2024-01-01", "2025-03-01", "Mỗi lần chỉ xem được tối đa một năm"),
        ("31/02/2025", "2025-03-01", "Ngày bắt đầu không hợp lệ (dd/mm/yyyy)."),
        ("", "2025-03-01", "Hãy chọn ngày bắt đầu."),
    ],
)
def test_page_explains_a_bad_period(client, users, province, start, end, message):
    client.force_login(users[DESK])
    response = client.get("/so-theo-doi/", _query(province[JUSTICE], start, end))
    assert response.status_code == 400
    assert message in response.content.decode()
    download = client.get("/so-theo-doi/tai-ve/csv/", _query(province[JUSTICE], start, end))
    assert download.status_code == 400


@urls_here
def test_another_agencys_register_is_refused(client, users, province):
    client.force_login(users[DESK])
    response = client.get("/so-theo-doi/tai-ve/csv/", _query(province[HEALTH]))
    assert response.status_code == 400
    assert "Bạn không được xem sổ theo dõi của cơ quan này." in response.content.decode()


@urls_here
@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("csv", "text/csv; charset=utf-8", b"\xef\xbb\xbf"),
    ],
)
def test_downloads(client, users, register, fmt, content_type, magic):
    client.force_login(users[HEAD])
    response = client.get(f"/so-theo-doi/tai-ve/{fmt}/", _query(register))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    assert response["Content-Disposition"] == (
        f'attachment; filename="so-theo-doi-ho-so-000.00.10.H99-20250301-20250331.{fmt}"'
    )
    assert client.get("/so-theo-doi/tai-ve/doc/", _query(register)).status_code == 404


@urls_here
def test_too_long_a_register_for_a_pdf_is_refused_readably(client, users, register, settings):
    settings.TTHC = {**settings.TTHC, "REGISTER_PDF_MAX_ROWS": 3, "REGISTER_EXPORT_MAX_ROWS": 4}
    with pytest.raises(DossierError) as refused:
        register_pdf(agencies=[register], **MARCH)
    assert "hơn 3 hồ sơ" in refused.value.message
    assert register_csv(agencies=[register], **MARCH).count("\n") == 1 + 4  # at the limit: fine
    client.force_login(users[DESK])
    page = client.get("/so-theo-doi/", _query(register)).content.decode()
    assert "/tai-ve/pdf/" not in page and "Bản PDF in được tối đa 3 hồ sơ" in page
    response = client.get("/so-theo-doi/tai-ve/pdf/", _query(register))
    assert response.status_code == 400
    assert "vượt quá giới hạn của bản PDF" in response.content.decode()
    settings.TTHC = {**settings.TTHC, "REGISTER_EXPORT_MAX_ROWS": 3}
    assert client.get("/so-theo-doi/tai-ve/xlsx/", _query(register)).status_code == 400
