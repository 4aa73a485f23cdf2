"""Forms 02 and 05 issued during processing are the resolving agency's papers
(issue 15 item 13): its letterhead (parent body, agency, motto, number from its
register, place and date) and the head's and the agency's signatures, valid for
pdfsig and pyHanko. The desk's form 02 before receipt stays the desk's."""

from __future__ import annotations

import pytest

from dossiers.models import DocumentKind, DossierDocument
from dossiers.services.closing import dossier_stop
from dossiers.services.decisions import supplement_draft, supplement_issue
from dossiers.services.pdf import document_render
from dossiers.services.processing import step_complete
from dossiers.services.reception import dossier_request_completion
from tests.dossiers import processing as flow
from tests.dossiers.processing import in_processing
from tests.dossiers.signed_papers import (
    assert_pdfsig_valid,
    assert_pyhanko_valid,
    needs_poppler,
    pdftotext,
    signature_widgets,
)
from tests.dossiers.test_reception import submitted

pytestmark = [pytest.mark.django_db, needs_poppler]
clock = flow.clock
workflow_procedure = flow.workflow_procedure
DESK, SPECIALIST, HEAD = "motcua.tuphap", "chuyenvien.tuphap", "lanhdao.tuphap"
LETTERHEAD = ("UBND TỈNH DEMO", "SỞ TƯ PHÁP", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
              "Độc lập - Tự do - Hạnh phúc")  # fmt: skip


def _rendered(dossier, kind: str) -> tuple[DossierDocument, bytes]:
    """The paper rendered as the Celery task does (the task runs after commit)."""
    document = DossierDocument.objects.filter(dossier=dossier, kind=kind).latest("pk")
    document_render(document.pk)
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        return document, handle.read()


def _assigned(users, procedure, clock):
    dossier = in_processing(users, procedure, clock, 2025, 3, 3, 9, 0)
    step_complete(actor=users[HEAD], step=dossier.current_step, assignee=users[SPECIALIST])
    return dossier


def _assert_signed_by_head(document, pdf: bytes, users) -> None:
    assert document.signed_by == users[HEAD] and document.signer_title == "Giám đốc Sở"
    assert document.signed_by_agency.code == "000.00.10.H99" and document.signed_at
    report = assert_pyhanko_valid(pdf, 2)
    assert [s.signer for s in report.signatures] == ["Hoàng Văn Giám Đốc", "Sở Tư pháp"]
    assert set(signature_widgets(pdf)) == {"ChuKyNguoiKy", "ChuKyCoQuan"}
    assert_pdfsig_valid(pdf, 2)


def test_form_02_during_processing_has_the_agency_letterhead_and_signatures(
    users, workflow_procedure, clock
):
    dossier = _assigned(users, workflow_procedure, clock)
    clock.set(2025, 3, 4, 9, 0)
    request = supplement_draft(
        actor=users[SPECIALIST], dossier=dossier,
        items=[{"name": "Bản sao chứng chỉ hành nghề", "reason": "Đã hết hạn"}],
    )  # fmt: skip
    supplement_issue(actor=users[HEAD], request=request)
    document, pdf = _rendered(dossier, DocumentKind.SUPPLEMENT)
    assert document.register_number == "01/PBS-STP"
    text = pdftotext(pdf)
    for expected in (*LETTERHEAD, "Số: 01/PBS-STP", "Demo, ngày 04 tháng 03 năm 2025",
                     "GIÁM ĐỐC SỞ", "Hoàng Văn Giám Đốc", "chứng chỉ hành nghề"):  # fmt: skip
        assert expected in text, (expected, text)
    _assert_signed_by_head(document, pdf, users)


def test_form_05_after_the_agency_stops_shares_the_register(users, workflow_procedure, clock):
    dossier = _assigned(users, workflow_procedure, clock)
    clock.set(2025, 3, 4, 9, 0)
    request = supplement_draft(
        actor=users[SPECIALIST], dossier=dossier,
        items=[{"name": "Bản sao chứng chỉ hành nghề", "reason": "Đã hết hạn"}],
    )  # fmt: skip
    supplement_issue(actor=users[HEAD], request=request)
    clock.set(2025, 4, 8, 15, 0)
    dossier_stop(actor=users[HEAD], dossier=dossier, reason="Quá thời hạn bổ sung hồ sơ")
    document, pdf = _rendered(dossier, DocumentKind.STOP_NOTICE)
    # One register per agency and year: form 02 took 01, form 05 takes 02.
    assert document.register_number == "02/TB-STP"
    text = pdftotext(pdf)
    for expected in (*LETTERHEAD, "Số: 02/TB-STP", "Demo, ngày 08 tháng 04 năm 2025",
                     "GIÁM ĐỐC SỞ", "Hoàng Văn Giám Đốc"):  # fmt: skip
        assert expected in text, (expected, text)
    _assert_signed_by_head(document, pdf, users)


def test_the_desk_form_02_before_receipt_stays_the_desk_paper(users, online_procedure):
    dossier = dossier_request_completion(
        actor=users[DESK], dossier=submitted(users, online_procedure),
        items=[{"name": "Đơn đề nghị", "reason": "Thiếu chữ ký"}],
    )  # fmt: skip
    document, pdf = _rendered(dossier, DocumentKind.SUPPLEMENT)
    assert document.register_number == "" and document.signed_at is None
    text = pdftotext(pdf)
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH" in text and "NGƯỜI HƯỚNG DẪN" in text
    assert signature_widgets(pdf) == {}
