"""Forms 04–06, the not-eligible notice and the result drafted from the
template, as real PDFs built from dossiers moved through the real services:
every field printed, page size, embedded fonts, QR code of the paper."""

from __future__ import annotations

import io

import pytest
from django.utils.html import escape
from pypdf import PdfReader

from dossiers.models import DocumentKind, Dossier, DossierDocument, RenderStatus
from dossiers.services import pdf
from dossiers.services.apology import apology_issue
from dossiers.services.closing import dossier_stop, dossier_withdraw
from dossiers.services.decisions import dossier_reject, supplement_draft, supplement_issue
from dossiers.services.documents import document_issue
from dossiers.services.processing import consult_answer, step_complete, step_consult
from dossiers.services.results import result_draft_generate
from tests.dossiers import processing as flow
from tests.dossiers.conftest import HEALTH
from tests.dossiers.processing import at, in_processing
from tests.dossiers.test_forms_pdf import assert_contains, compact, embedded_fonts, text_of

pytestmark = pytest.mark.django_db
# The processing tests' fixtures: a fixed workflow and a movable clock.
clock = flow.clock
workflow_procedure = flow.workflow_procedure

A5 = (419.53, 595.28)
A4 = (595.28, 841.89)
CITIZEN = "001085012345"
DESK, SPECIALIST, HEAD = "motcua.tuphap", "chuyenvien.tuphap", "lanhdao.tuphap"
CODE = "000.00.10.H99-250303-0001"  # received Mon 03/03/2025 09:00
PROCEDURE_CODE = "1.001122"


# --- helpers -----------------------------------------------------------------------


def render(document: DossierDocument) -> tuple[PdfReader, str, str]:
    """(PDF, its text, the HTML) of a paper, rendered as the Celery task does."""
    html = pdf.render_html(document)
    reader = PdfReader(io.BytesIO(pdf.html_to_pdf(html)))
    return reader, text_of(reader), html


def assert_size(reader: PdfReader, size: tuple[float, float]) -> None:
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(size, abs=1)


def assert_standard(reader: PdfReader, html: str, document: DossierDocument) -> None:
    """What every paper carries: motto, fonts embedded, the QR code of the
    paper (codes, no name) in the header's first cell, top-left."""
    text = text_of(reader)
    assert_contains(text, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"])
    fonts = embedded_fonts(reader)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    payload = pdf.qr_payload(document)
    dossier = document.dossier
    # A plain link with the unguessable token: no ID number, no name.
    assert payload == pdf.lookup_url(dossier)
    assert dossier.lookup_token in payload
    assert CITIZEN not in payload and "Nguyễn" not in payload
    qr_cell = html.index('<td class="qr">')
    assert html.index(escape(pdf.qr_svg_data_uri(payload))) > qr_cell
    assert qr_cell < html.index('class="body-name"') < html.index('class="motto"')


def document_of(dossier: Dossier, kind: str) -> DossierDocument:
    return DossierDocument.objects.select_related("dossier").get(dossier=dossier, kind=kind)


def assigned(users, procedure, clock) -> Dossier:
    """Received Mon 03/03 09:00 (due Fri 07/03 09:00), transferred, and handed by
    the head to the specialist at 12:30."""
    dossier = in_processing(users, procedure, clock, 2025, 3, 3, 9, 0)
    clock.set(2025, 3, 3, 12, 30)
    step_complete(actor=users[HEAD], step=dossier.current_step, assignee=users[SPECIALIST])
    dossier.refresh_from_db()
    return dossier


# --- form 04 and form 06 -------------------------------------------------------------


@pytest.fixture
def late_dossier(users, province, workflow_procedure, clock):
    """Consulted, apologised for, and late at the specialist's step."""
    dossier = assigned(users, workflow_procedure, clock)
    clock.set(2025, 3, 4, 10, 0)
    consult = step_consult(
        actor=users[SPECIALIST], step=dossier.current_step, agency=province[HEALTH],
        question="Xác nhận thông tin hành nghề",
    )  # fmt: skip
    clock.set(2025, 3, 4, 14, 0)
    consult_answer(actor=users["chuyenvien.yte"], step=consult, answer="Thông tin chính xác")
    clock.set(2025, 3, 4, 16, 0)
    apology_issue(
        actor=users[HEAD], dossier=dossier,
        reason="Phải xin ý kiến Sở Y tế\nHệ thống CSDL hộ tịch gián đoạn",
        new_due_at=at(2025, 3, 10, 17, 0),
    )  # fmt: skip
    clock.set(2025, 3, 5, 16, 0)  # the specialist's step was due Wed 12:00
    step_complete(actor=users[SPECIALIST], step=dossier.current_step, note="Đủ điều kiện cấp")
    dossier.refresh_from_db()
    return dossier


def test_apology_form_04_prints_every_field(users, late_dossier, clock):
    document = document_of(late_dossier, DocumentKind.APOLOGY)
    reader, text, html = render(document)
    assert_size(reader, A5)
    assert_standard(reader, html, document)
    assert_contains(text, [
        "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "UBND TỈNH DEMO",  # the resolving agency's parent body…
        "SỞ TƯ PHÁP",  # …over the agency that apologises
        "Demo, ngày 04 tháng 03 năm 2025",
        "Kính gửi: Ông/Bà/Tổ chức Nguyễn Văn An",
        "Ngày 03/03/2025",  # the agency received the dossier
        late_dossier.procedure_version.name[:40],
        "Số định danh cá nhân/Mã số tổ chức: 001085012345",
        f"Mã hồ sơ: {CODE}",
        "09 giờ 00 phút, ngày 07/03/2025",  # the original appointment
        "chưa trả kết quả giải quyết hồ sơ cho ông/bà/tổ chức đúng thời hạn",
        "Phải xin ý kiến Sở Y tế",
        "Hệ thống CSDL hộ tịch gián đoạn",
        "xin lỗi ông/bà/tổ chức",
        "17 giờ 00 phút, ngày 10/03/2025",  # the new appointment
        "THỦ TRƯỞNG CƠ QUAN",
        "Hoàng Văn Giám Đốc",  # the head who issued it
    ])  # fmt: skip
    assert compact(f"Số: {CODE}/1/PXL") in compact(text)


def test_apology_is_rendered_by_the_task_after_commit(
    users,
    workflow_procedure,
    clock,
    django_capture_on_commit_callbacks,
):
    dossier = assigned(users, workflow_procedure, clock)
    clock.set(2025, 3, 4, 9, 0)
    with django_capture_on_commit_callbacks(execute=True):
        apology = apology_issue(
            actor=users[HEAD], dossier=dossier, reason="Chờ kết quả xác minh",
            new_due_at=at(2025, 3, 12, 17, 0),
        )  # fmt: skip
    document = document_of(dossier, DocumentKind.APOLOGY)
    assert document.source_id == apology.pk
    assert document.status == RenderStatus.READY, document.error
    with document.file.open("rb") as handle:
        assert "Chờ kết quả xác minh" in text_of(PdfReader(handle))


def test_control_sheet_form_06_has_one_row_per_handover(users, late_dossier, province):
    document = document_issue(late_dossier, DocumentKind.CONTROL_SHEET)
    reader, text, html = render(DossierDocument.objects.get(pk=document.pk))
    assert_size(reader, A4)
    assert_standard(reader, html, document)
    assert_contains(text, [
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH",
        f"Mã hồ sơ: {CODE}",
        f"{CODE}/1/TTPVHCC (BPTNTKQ)",  # the receipt it accompanies
        "Cơ quan, bộ phận giải quyết hồ sơ: Sở Tư pháp",
        "Cơ quan phối hợp giải quyết hồ sơ: Sở Y tế",
        "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 03/03/2025",
        # Moved by the apology: the new appointment and the original one.
        "Thời gian hẹn trả kết quả: 17 giờ 00 phút, ngày 10/03/2025",
        "hẹn ban đầu: 09 giờ 00 phút, ngày 07/03/2025",
        # The rows, in handover order, with giver, receiver and time.
        "Tiếp nhận, chuyển hồ sơ",
        "Người giao: Nguyễn Văn An",  # the applicant handed the dossier in
        "Lãnh đạo phòng phân công",
        "Người giao: Lê Văn Tiếp Nhận",
        "Người nhận: Hoàng Văn Giám Đốc",
        "1. Giao: 12 giờ 30 phút, ngày 03/03/2025",
        "Chuyên viên thẩm định",
        "Người nhận: Phạm Thị Thụ Lý",
        "Xin ý kiến: Sở Y tế",
        "Người nhận: Đỗ Văn Chuyên",
        "Nội dung xin ý kiến: Xác nhận thông tin hành nghề. Trả lời: Thông tin chính xác",
        "Lãnh đạo ký duyệt",
        "Đang xử lý",  # the open approval step
        "Hoàn thành, chuyển bước sau; Đủ điều kiện cấp",
        # Each finished counted step's result.
        "Đúng hạn",
        "Trước hạn",
        "Quá hạn",
    ])  # fmt: skip
    assert "PKS-TTPVHCC(BPTNTKQ)" in compact(text)
    rows = html.count('<td class="handover">')
    assert rows == late_dossier.steps.count() == 5
    # The specialist's step was late, the consultation early, the head's on time.
    specialist = text.index("Chuyên viên thẩm định")
    assert text.index("Quá hạn", specialist) < text.index("Lãnh đạo ký duyệt")


# --- form 05 -------------------------------------------------------------------------


def test_stop_notice_form_05_after_a_withdrawal(users, workflow_procedure, clock):
    dossier = assigned(users, workflow_procedure, clock)
    clock.set(2025, 3, 4, 10, 15)
    dossier = dossier_withdraw(
        actor=users[CITIZEN], dossier=dossier, reason="Đã được giải quyết ở nơi khác",
        channel="Cổng Dịch vụ công quốc gia",
    )  # fmt: skip
    assert dossier.status == "withdrawn"
    document = document_of(dossier, DocumentKind.STOP_NOTICE)
    reader, text, html = render(document)
    assert_size(reader, A5)
    assert_standard(reader, html, document)
    assert_contains(text, [
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "UBND TỈNH DEMO", "SỞ TƯ PHÁP",  # transferred: the resolving agency's paper
        "Demo, ngày 04 tháng 03 năm 2025",
        f"Mã hồ sơ: {CODE}",
        dossier.procedure_version.name[:40],
        "Nguyễn Văn An",
        "001085012345",
        "Thời gian đề nghị dừng giải quyết: 10 giờ 15 phút, ngày 04/03/2025",
        "Hình thức đề nghị: Cổng Dịch vụ công quốc gia",
        "Đã được giải quyết ở nơi khác",
        "đề nghị rút hồ sơ",  # the withdrawal wording…
        "theo đề nghị của ông/bà/tổ chức",
        "Giấy tờ bản chính đã nộp (nếu có) được trả lại",  # …papers and fees
        "Phí, lệ phí đã nộp (nếu có)",
        "THỦ TRƯỞNG CƠ QUAN",
    ])  # fmt: skip
    assert "quyết định dừng giải quyết" not in text
    # Its number is the agency's register's (the citizen withdrew: no head signs).
    assert document.register_number == "01/TB-STP"
    assert compact("Số: 01/TB-STP") in compact(text)


def test_stop_notice_form_05_after_the_agency_stops(users, workflow_procedure, clock):
    dossier = assigned(users, workflow_procedure, clock)
    clock.set(2025, 3, 4, 9, 0)
    request = supplement_draft(
        actor=users[SPECIALIST], dossier=dossier,
        items=[{"name": "Bản sao chứng chỉ hành nghề", "reason": "Đã hết hạn"}],
    )  # fmt: skip
    supplement_issue(actor=users[HEAD], request=request)
    clock.set(2025, 4, 8, 15, 0)
    dossier = dossier_stop(
        actor=users[HEAD], dossier=dossier, reason="Quá thời hạn bổ sung hồ sơ theo phiếu yêu cầu"
    )
    assert dossier.status == "stopped"
    document = document_of(dossier, DocumentKind.STOP_NOTICE)
    reader, text, html = render(document)
    assert_size(reader, A5)
    assert_standard(reader, html, document)
    assert_contains(text, [
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        f"Mã hồ sơ: {CODE}",
        "001085012345",
        "Thời gian đề nghị dừng giải quyết: 15 giờ 00 phút, ngày 08/04/2025",
        "Hình thức đề nghị: Cơ quan giải quyết",
        "Quá thời hạn bổ sung hồ sơ theo phiếu yêu cầu",
        "Cơ quan giải quyết (Sở Tư pháp) quyết định dừng giải quyết hồ sơ",
        "dừng giải quyết kể từ ngày 08/04/2025",
        "GIÁM ĐỐC SỞ",  # the head who stopped it signs, with their title
        "Hoàng Văn Giám Đốc",
    ])  # fmt: skip
    assert "đề nghị rút hồ sơ" not in text


def test_stop_notice_wording_is_configuration(users, workflow_procedure, clock, settings):
    settings.TTHC = {
        **settings.TTHC,
        "STOP_NOTICE_TEXT": {
            "withdrawn": {"fees": "Lệ phí {unknown}đã nộp được hoàn trả tại {desk}."}
        },
    }
    dossier = assigned(users, workflow_procedure, clock)
    dossier = dossier_withdraw(actor=users[CITIZEN], dossier=dossier, reason="Không còn nhu cầu")
    _reader, text, _html = render(document_of(dossier, DocumentKind.STOP_NOTICE))
    assert "Lệ phí đã nộp được hoàn trả tại Trung tâm Phục vụ hành chính công tỉnh." in text
    assert "Giấy tờ bản chính đã nộp (nếu có) được trả lại" in text  # the other defaults stay


# --- not eligible ------------------------------------------------------------------------


def test_not_eligible_notice_lists_each_reason_and_the_head(
    users,
    workflow_procedure,
    clock,
):
    dossier = assigned(users, workflow_procedure, clock)
    clock.set(2025, 3, 5, 10, 0)
    dossier = dossier_reject(
        actor=users[HEAD], dossier=dossier,
        reason="Người đề nghị chưa đủ 3 năm kinh nghiệm\n\nBằng cử nhân luật cấp ở nước ngoài "
               "chưa được công nhận",
    )  # fmt: skip
    document = document_of(dossier, DocumentKind.NOT_ELIGIBLE)
    reader, text, html = render(document)
    assert_size(reader, A5)
    assert_standard(reader, html, document)
    assert_contains(text, [
        "THÔNG BÁO HỒ SƠ KHÔNG ĐỦ ĐIỀU KIỆN GIẢI QUYẾT",
        "SỞ TƯ PHÁP",
        "Demo, ngày 05 tháng 03 năm 2025",
        f"Mã hồ sơ: {CODE}",
        dossier.procedure_version.name[:40],
        "Ông/Bà/Tổ chức: Nguyễn Văn An",
        "001085012345",
        "Ngày 03/03/2025",
        "1 Người đề nghị chưa đủ 3 năm kinh nghiệm",
        "2 Bằng cử nhân luật cấp ở nước ngoài chưa được công nhận",
        "THỦ TRƯỞNG CƠ QUAN",
        "Hoàng Văn Giám Đốc",
    ])  # fmt: skip
    assert html.count('<td class="num">') == 2  # the blank line is no reason


# --- the result from the template ----------------------------------------------------------


def test_result_template_renders_an_unsaved_draft(users, workflow_procedure, clock):
    dossier = assigned(users, workflow_procedure, clock)
    content = "Cấp Giấy chứng nhận cho ông Nguyễn Văn An.\n\nThời hạn: 05 năm kể từ ngày ký."
    preview = DossierDocument(
        dossier=dossier, kind=DocumentKind.RESULT, content=content, number=f"{CODE}-KQ1"
    )
    reader, text, html = render(preview)
    assert preview.pk is None
    assert_size(reader, A4)
    assert_standard(reader, html, preview)
    assert_contains(text, [
        "SỞ TƯ PHÁP",
        "Demo, ngày 03 tháng 03 năm 2025",
        "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        dossier.procedure_version.name[:40],
        "Tổ chức, cá nhân đề nghị: Nguyễn Văn An",
        "001085012345",
        f"Mã hồ sơ: {CODE}",
        "Cấp Giấy chứng nhận cho ông Nguyễn Văn An.",
        "Thời hạn: 05 năm kể từ ngày ký.",
        "THỦ TRƯỞNG CƠ QUAN",
        "(Dự thảo – chưa ký)",  # a preview is a draft; the signed paper says "Đã ký số"
    ])  # fmt: skip
    # The paper's number is left blank until the signature takes one from the
    # agency's register; the result code is printed as such.
    assert compact("Số: …/KQ-STP") in compact(text)
    assert compact(f"Mã kết quả: {CODE}-KQ1") in compact(text)
    assert html.count("<p>Cấp Giấy") == 1 and html.count("<p>Thời hạn") == 1  # one per paragraph


def test_result_draft_generate_stores_the_rendered_template(
    users,
    workflow_procedure,
    clock,
):
    dossier = assigned(users, workflow_procedure, clock)
    clock.set(2025, 3, 4, 11, 0)
    document = result_draft_generate(
        actor=users[SPECIALIST], dossier=dossier,
        content="Chấp thuận đề nghị <b>đăng ký</b> hành nghề của ông Nguyễn Văn An.",
    )  # fmt: skip
    assert document.status == RenderStatus.READY and document.kind == DocumentKind.RESULT
    with document.file.open("rb") as handle:
        reader = PdfReader(handle)
        assert_size(reader, A4)
        text = text_of(reader)
    assert "Chấp thuận đề nghị <b>đăng ký</b> hành nghề" in text  # typed text, escaped
    assert compact(f"{CODE}-KQ1") in compact(text)
    assert "Demo, ngày 04 tháng 03 năm 2025" in text


def test_every_processing_paper_has_a_form():
    for kind in (
        DocumentKind.APOLOGY, DocumentKind.STOP_NOTICE, DocumentKind.CONTROL_SHEET,
        DocumentKind.NOT_ELIGIBLE, DocumentKind.RESULT,
    ):  # fmt: skip
        assert kind in pdf.FORMS
    assert pdf.FORMS[DocumentKind.CONTROL_SHEET].page_size == pdf.A4
    assert pdf.FORMS[DocumentKind.APOLOGY].page_size == pdf.A5
