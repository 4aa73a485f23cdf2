"""The official papers as real PDFs: A5, every field, embedded fonts, QR top-left."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from dossiers.models import (
    DocumentKind,
    Dossier,
    DossierDocument,
    Payment,
    RenderStatus,
    SupplementRequest,
)
from dossiers.services import pdf
from dossiers.services.payments import CallbackData, get_gateway, payment_callback
from dossiers.services.reception import (
    dossier_receive,
    dossier_refuse,
    dossier_request_completion,
)
from dossiers.services.submission import (
    component_attach,
    dossier_create_draft,
    dossier_submit,
    dossier_update_draft,
)
from tests.conftest import require
from tests.dossiers.files import make_pdf, upload

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
A5_WIDTH, A5_HEIGHT = 419.53, 595.28
CITIZEN = "001085012345"
DESK = "motcua.tuphap"


# --- helpers -----------------------------------------------------------------------


def submitted(users, procedure, **data) -> Dossier:
    citizen = users[CITIZEN]
    dossier = dossier_create_draft(actor=citizen, procedure=procedure)
    if data:
        dossier_update_draft(actor=citizen, dossier=dossier, data=data)
    for requirement in procedure.current_version.components.filter(required=True):
        component_attach(
            actor=citizen, dossier=dossier, requirement_id=requirement.pk,
            upload=upload(f"{requirement.order}.pdf", make_pdf()),
        )  # fmt: skip
    return dossier_submit(actor=citizen, dossier=dossier)


def document_of(dossier: Dossier, kind: str) -> DossierDocument:
    return DossierDocument.objects.get(dossier=dossier, kind=kind)


def read(document: DossierDocument) -> tuple[PdfReader, bytes]:
    document.refresh_from_db()
    assert document.status == RenderStatus.READY, document.error
    assert document.rendered_at is not None
    with document.file.open("rb") as handle:
        content = handle.read()
    return PdfReader(io.BytesIO(content)), content


def text_of(reader: PdfReader) -> str:
    # Line breaks inside a table cell or a long line split words: compare on
    # single spaces.
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def compact(text: str) -> str:
    return "".join(text.split())


def assert_contains(text: str, expected: list[str]) -> None:
    missing = [value for value in expected if value not in text]
    assert not missing, f"missing {missing} in {text}"


def assert_a5(reader: PdfReader) -> None:
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(A5_WIDTH, abs=1)
        assert float(box.height) == pytest.approx(A5_HEIGHT, abs=1)


def embedded_fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font used on the pages."""
    fonts = []
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile2", "/FontFile3"))
            fonts.append((str(font["/BaseFont"]), embedded))
    return fonts


def qr_in_top_left(content: bytes, tmp_path: Path) -> str:
    """Render the top-left quadrant of page 1 and decode the QR code in it."""
    require(shutil.which("zbarimg") is not None, "needs zbar-tools (apt-get install zbar-tools)")
    source = tmp_path / "paper.pdf"
    source.write_bytes(content)
    dpi = 300
    width, height = round(A5_WIDTH / 72 * dpi / 2), round(A5_HEIGHT / 72 * dpi / 2)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-x", "0", "-y", "0",
         "-W", str(width), "-H", str(height), "-png", "-singlefile", str(source),
         str(tmp_path / "corner")],
        check=True, timeout=60,
    )  # fmt: skip
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sbinary", str(tmp_path / "corner.png")],
        capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert decoded.returncode == 0, decoded.stderr
    return decoded.stdout.decode("utf-8").strip()


def pay(payment: Payment, transaction_ref: str = "NH-0001") -> Payment:
    gateway = get_gateway()
    signature = gateway.sign(str(payment.reference), payment.amount_vnd, "paid", transaction_ref)
    return payment_callback(
        CallbackData(
            reference=str(payment.reference), amount_vnd=payment.amount_vnd, status="paid",
            transaction_ref=transaction_ref, signature=signature,
        )
    )  # fmt: skip


# --- form 01 ------------------------------------------------------------------------


def test_receipt_is_an_a5_pdf_with_every_field_and_the_qr_top_left(
    users, online_procedure, django_capture_on_commit_callbacks, tmp_path
):
    dossier = submitted(
        users, online_procedure,
        representative_name="Trần Thị Ủy Quyền", representative_id_number="001190000111",
        representative_phone="0987654321", representative_authorisation="Giấy ủy quyền số 12/UQ",
        sets_count=2, result_delivery="desk",
    )  # fmt: skip
    received_at = datetime(2025, 1, 24, 10, 0, tzinfo=TZ)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_receive(actor=users[DESK], dossier=dossier, at=received_at)
    reader, content = read(document_of(dossier, DocumentKind.RECEIPT))
    assert_a5(reader)
    assert len(reader.pages) == 1
    text = text_of(reader)
    expected = [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "000.00.10.H99-250124-0001",  # dossier code
        "UBND TỈNH DEMO",  # parent body
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH",  # receiving section
        "Sở Tư pháp",  # receiving agency
        "Demo, ngày 24 tháng 01 năm 2025",  # place and date
        "Nguyễn Văn An",
        "001085012345",
        "Phường Phố Hiến, tỉnh Demo",
        "0912345678",
        "001085012345@demo.tthc.local",
        "Trần Thị Ủy Quyền",
        "001190000111",
        "0987654321",
        "Giấy ủy quyền số 12/UQ",
        online_procedure.current_version.name[:40],  # content of the request
        "Đơn đề nghị",
        "Sơ yếu lý lịch",
        "Bản chính",
        "Bản điện tử",  # uploaded online: already digital
        "Số lượng hồ sơ: 02 bộ",
        "30 ngày",  # legal time in words of its unit
        "10 giờ 00 phút, ngày 24/01/2025",  # received
        "17 giờ 00 phút, ngày 24/02/2025",  # appointment
        "Trung tâm Phục vụ hành chính công tỉnh, Số 2 đường Chùa Chuông",  # where
        "Quyển số: 2025, Số thứ tự: 0001",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Lê Văn Tiếp Nhận",  # the officer who received it
    ]
    assert_contains(text, expected)
    # The number wraps in its narrow header column: compare without spaces.
    assert compact("Số: 000.00.10.H99-250124-0001/1/TTPVHCC (BPTNTKQ)") in compact(text)
    fonts = embedded_fonts(reader)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert any("DejaVu" in name for name, _ in fonts)

    decoded = qr_in_top_left(content, tmp_path)
    # A plain link with the unguessable token and no personal data (issue 15, item 6).
    assert decoded.endswith(f"/tra-cuu/{dossier.lookup_token}/") and "|" not in decoded
    assert "001085012345" not in decoded and "Nguyễn" not in decoded
    assert "0912345678" not in decoded


# --- form 02 ------------------------------------------------------------------------


def test_supplement_request_lists_every_item_with_its_reason_and_the_contact(
    users, online_procedure, django_capture_on_commit_callbacks, tmp_path
):
    dossier = submitted(users, online_procedure)
    requirements = list(online_procedure.current_version.components.order_by("order"))
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_request_completion(
            actor=users[DESK], dossier=dossier,
            items=[
                {"requirement": requirements[0].pk, "name": "Đơn đề nghị",
                 "reason": "Thiếu chữ ký của người đề nghị"},
                {"requirement": requirements[1].pk, "name": "Sơ yếu lý lịch",
                 "reason": "Ảnh chụp bị mờ, không đọc được"},
            ],
            note="Nộp lại trong 5 ngày làm việc",
        )  # fmt: skip
    request = SupplementRequest.objects.get(dossier=dossier)
    document = DossierDocument.objects.get(
        dossier=dossier, kind=DocumentKind.SUPPLEMENT, source_id=request.pk
    )
    reader, content = read(document)
    assert_a5(reader)
    text = text_of(reader)
    assert_contains(text, [
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Nguyễn Văn An",
        online_procedure.current_version.name[:40],
        "Phường Phố Hiến, tỉnh Demo",
        "0912345678",
        "001085012345@demo.tthc.local",
        "1 Đơn đề nghị Thiếu chữ ký của người đề nghị",
        "2 Sơ yếu lý lịch Ảnh chụp bị mờ, không đọc được",
        "Nộp lại trong 5 ngày làm việc",
        "Lê Văn Tiếp Nhận",  # contact official…
        "0221 3 555 666",  # …and the desk's phone
        "NGƯỜI HƯỚNG DẪN",
    ])  # fmt: skip
    assert "PBS-TTPVHCC(BPTNTKQ)" in compact(text)
    decoded = qr_in_top_left(content, tmp_path)
    assert decoded.endswith(f"/tra-cuu/{dossier.lookup_token}/") and "001085012345" not in decoded


# --- form 03 ------------------------------------------------------------------------


def test_refusal_states_each_specific_reason(
    users, online_procedure, django_capture_on_commit_callbacks
):
    dossier = submitted(users, online_procedure)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_refuse(
            actor=users[DESK], dossier=dossier,
            reason="Không thuộc thẩm quyền giải quyết của Sở Tư pháp\n"
                   "Đề nghị nộp tại UBND phường Phố Hiến",
        )  # fmt: skip
    reader, _ = read(document_of(dossier, DocumentKind.REFUSAL))
    assert_a5(reader)
    text = text_of(reader)
    assert_contains(text, [
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH",
        "Sở Tư pháp",
        "Nguyễn Văn An",
        "001085012345",
        "Phường Phố Hiến, tỉnh Demo",
        "0912345678",
        "001085012345@demo.tthc.local",
        "Mã hồ sơ (nếu có): —",  # refused before receipt: no code
        online_procedure.current_version.name[:40],
        "1 Không thuộc thẩm quyền giải quyết của Sở Tư pháp",
        "2 Đề nghị nộp tại UBND phường Phố Hiến",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Lê Văn Tiếp Nhận",
    ])  # fmt: skip
    assert "PTC-TTPVHCC(BPTNTKQ)" in compact(text)
    assert all(embedded for _, embedded in embedded_fonts(reader))


# --- payment receipt ---------------------------------------------------------------


def test_payment_receipt_shows_each_fee_and_the_total_in_words(
    users, online_procedure, django_capture_on_commit_callbacks
):
    dossier = submitted(users, online_procedure)
    dossier = dossier_receive(
        actor=users[DESK], dossier=dossier, at=datetime(2025, 3, 3, 9, 0, tzinfo=TZ)
    )
    payment = Payment.objects.get(dossier=dossier)
    with django_capture_on_commit_callbacks(execute=True):
        payment = pay(payment, "NH-20250303-77")
    document = DossierDocument.objects.get(
        dossier=dossier, kind=DocumentKind.PAYMENT_RECEIPT, source_id=payment.pk
    )
    reader, _ = read(document)
    assert_a5(reader)
    text = text_of(reader)
    assert_contains(text, [
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        f"Số biên lai: {payment.receipt_no}",
        "000.00.10.H99-250303-0001",
        "Nguyễn Văn An",
        "1 Lệ phí Lệ phí 50.000 đ",  # the online amount
        "Tổng cộng 50.000 đ",
        "Năm mươi nghìn đồng",
        pdf.format_time(payment.paid_at),
        "Cổng thanh toán của tỉnh",
        "NH-20250303-77",
    ])  # fmt: skip


# --- failures, retry, idempotence --------------------------------------------------


def test_a_failed_render_is_recorded_and_a_retry_renders_it(
    users, online_procedure, django_capture_on_commit_callbacks, monkeypatch
):
    import weasyprint

    dossier = dossier_receive(actor=users[DESK], dossier=submitted(users, online_procedure))
    document = document_of(dossier, DocumentKind.RECEIPT)
    assert document.status == RenderStatus.PENDING

    def broken(self, *args, **kwargs):
        raise RuntimeError("hết bộ nhớ khi dựng trang")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    with pytest.raises(RuntimeError):  # re-raised: the task is recorded as failed
        pdf.document_render(document.pk)
    document.refresh_from_db()
    assert document.status == RenderStatus.FAILED
    assert "RuntimeError" in document.error and "hết bộ nhớ" in document.error
    assert not document.file

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert pdf.document_retry(actor=users[CITIZEN], document=document)
    reader, _ = read(document)
    assert document.error == ""
    assert "Nguyễn Văn An" in text_of(reader)
    # Only a failed paper goes back to the queue.
    assert not pdf.document_retry(actor=users[CITIZEN], document=document)


def test_rendering_is_idempotent(
    users, online_procedure, django_capture_on_commit_callbacks, monkeypatch
):
    import weasyprint

    dossier = submitted(users, online_procedure)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_receive(actor=users[DESK], dossier=dossier)
    document = document_of(dossier, DocumentKind.RECEIPT)
    assert document.status == RenderStatus.READY
    calls: list[int] = []
    original = weasyprint.HTML.write_pdf

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counting)
    assert pdf.document_render(document.pk) == RenderStatus.READY
    # A paper another worker is rendering right now is left alone as well.
    DossierDocument.objects.filter(pk=document.pk).update(status=RenderStatus.RENDERING)
    assert pdf.document_render(document.pk) == RenderStatus.RENDERING
    assert calls == []
    again = DossierDocument.objects.get(pk=document.pk)
    assert again.file.name == document.file.name and again.rendered_at == document.rendered_at

    # …unless its worker died: claimed longer ago than the reclaim window
    # (judged by the claim, never the issue time: an old paper may be rendering now).
    DossierDocument.objects.filter(pk=document.pk).update(
        render_claimed_at=document.rendered_at - timedelta(hours=2)
    )
    assert pdf.document_render(document.pk) == RenderStatus.READY
    assert calls == [1]
    again.refresh_from_db()
    assert again.status == RenderStatus.READY and again.file.name != document.file.name
    assert not document.file.storage.exists(document.file.name)  # the old file is removed


def test_a_kind_without_a_template_fails_clearly(users, online_procedure, monkeypatch):
    dossier = submitted(users, online_procedure)
    document = DossierDocument.objects.create(dossier=dossier, kind=DocumentKind.STOP_NOTICE)
    # Whatever is registered later, a kind with no registered form must fail clearly.
    monkeypatch.delitem(pdf.FORMS, DocumentKind.STOP_NOTICE, raising=False)
    with pytest.raises(LookupError):
        pdf.document_render(document.pk)
    document.refresh_from_db()
    assert document.status == RenderStatus.FAILED and "05" in document.error


# --- number to words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (105, "Một trăm lẻ năm đồng"),
        (110, "Một trăm mười đồng"),
        (50_000, "Năm mươi nghìn đồng"),
        (1_400_000, "Một triệu bốn trăm nghìn đồng"),
        (1_000_005, "Một triệu không trăm lẻ năm đồng"),
        (1_050_000, "Một triệu không trăm năm mươi nghìn đồng"),
        (2_500_000_000, "Hai tỷ năm trăm triệu đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
    ],
)
def test_amount_in_vietnamese_words(amount, words):
    assert pdf.amount_in_words(amount) == words


def test_vietnamese_number_and_date_formats():
    assert pdf.format_vnd(1_400_000) == "1.400.000 đ"
    assert pdf.format_number(Decimal("0.50")) == "0,5"
    assert pdf.format_number(Decimal("30.00")) == "30"
    assert (
        pdf.format_time(datetime(2025, 2, 7, 9, 5, tzinfo=TZ)) == "09 giờ 05 phút, ngày 07/02/2025"
    )
