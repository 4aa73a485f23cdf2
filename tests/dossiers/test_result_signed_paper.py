"""The signed result looks like a Vietnamese administrative document (issue 15
item 13): a number from the agency's register of the year, the head's name and
title in the signature block, the visible signatures in that block, and two
signatures — the head's own, then the agency's — that pdfsig and pyHanko
both report valid."""

from __future__ import annotations

import pytest

from dossiers.models.documents import RegisterSequence
from dossiers.services.decisions import dossier_approve
from dossiers.services.processing import step_complete
from dossiers.services.results import result_draft_generate, result_draft_upload, signed_result
from tests.dossiers import processing as flow
from tests.dossiers.files import make_pdf, upload
from tests.dossiers.processing import in_processing
from tests.dossiers.signed_papers import (
    assert_pdfsig_valid,
    assert_pyhanko_valid,
    needs_poppler,
    pdftotext,
    signature_widgets,
    word_boxes,
)

pytestmark = [pytest.mark.django_db, needs_poppler]
clock = flow.clock
workflow_procedure = flow.workflow_procedure
SPECIALIST, HEAD = "chuyenvien.tuphap", "lanhdao.tuphap"
CONTENT = "Cấp Giấy chứng nhận cho ông Nguyễn Văn An. Thời hạn 05 năm."


def _at_approval(users, procedure, clock, *, drafted: bool = True):
    dossier = in_processing(users, procedure, clock, 2025, 3, 3, 9, 0)
    step = step_complete(actor=users[HEAD], step=dossier.current_step,
                         assignee=users[SPECIALIST])  # fmt: skip
    clock.set(2025, 3, 4, 10, 0)
    if drafted:
        result_draft_generate(actor=users[SPECIALIST], dossier=dossier, content=CONTENT)
    else:
        result_draft_upload(actor=users[SPECIALIST], dossier=dossier,
                            upload=upload("ket-qua.pdf", make_pdf()))  # fmt: skip
    step_complete(actor=users[SPECIALIST], step=step)
    clock.set(2025, 3, 5, 9, 0)
    return dossier


def _signed_bytes(dossier) -> tuple[object, bytes]:
    document = signed_result(dossier)
    with document.file.open("rb") as handle:
        return document, handle.read()


def test_the_result_carries_number_signer_title_and_both_signatures(
    users, workflow_procedure, clock
):
    dossier = dossier_approve(
        actor=users[HEAD], dossier=_at_approval(users, workflow_procedure, clock)
    )
    document, pdf = _signed_bytes(dossier)
    # The agency's register of 2025: its first paper.
    assert document.register_number == "01/KQ-STP"
    assert document.signed_by == users[HEAD] and document.signer_title == "Giám đốc Sở"
    text = pdftotext(pdf)
    for expected in (
        "UBND TỈNH DEMO", "SỞ TƯ PHÁP", "Số: 01/KQ-STP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Demo, ngày 05 tháng 03 năm 2025", "GIÁM ĐỐC SỞ", "Hoàng Văn Giám Đốc",
        f"Mã kết quả: {dossier.result_code}", "(Đã ký số)",
    ):  # fmt: skip
        assert expected in text, (expected, text)
    assert "Dự thảo" not in text

    # Two signatures: the head's own certificate (name, title), then the agency's.
    report = assert_pyhanko_valid(pdf, 2)
    person, agency = report.signatures
    assert person.signer == "Hoàng Văn Giám Đốc" and person.agency_code == "000.00.10.H99"
    assert agency.signer == "Sở Tư pháp" and agency.agency_code == "000.00.10.H99"
    assert person.serial != agency.serial
    assert_pdfsig_valid(pdf, 2)

    # The visible signatures sit in the signature block: between the title and
    # the name, on the name's page, over its column.
    widgets = signature_widgets(pdf)
    assert set(widgets) == {"ChuKyNguoiKy", "ChuKyCoQuan"}
    words = word_boxes(pdf)
    # The printed name is the lowest "Hoàng" (the stamps' text names the signer too).
    name_page, _, name_x1, _, _, name_y2 = min(
        (w for w in words if w[1] == "Hoàng"), key=lambda w: (-w[0], w[3])
    )
    title = next(w for w in words if w[1] == "GIÁM" and w[0] == name_page)
    for page, (x1, y1, x2, y2) in widgets.values():
        assert page == name_page
        assert x1 <= name_x1 <= x2  # the name's column
        assert name_y2 <= y1 and y2 <= title[3]  # below the title, above the name


def test_an_uploaded_result_gets_both_signatures_and_the_number(users, workflow_procedure, clock):
    dossier = dossier_approve(
        actor=users[HEAD], dossier=_at_approval(users, workflow_procedure, clock, drafted=False)
    )
    document, pdf = _signed_bytes(dossier)
    assert document.register_number == "01/KQ-STP"
    report = assert_pyhanko_valid(pdf, 2)
    # The uploaded paper has no block to print in: the number is in the agency's signature.
    assert report.signatures[1].reason == "Ban hành văn bản số 01/KQ-STP"
    assert_pdfsig_valid(pdf, 2)


def test_numbers_follow_the_agency_register_of_the_year(users, workflow_procedure, clock):
    from tthc_portal.agencies.models import Agency

    justice = Agency.objects.get(code="000.00.10.H99")
    RegisterSequence.objects.create(agency=justice, year=2025, last_value=41)
    RegisterSequence.objects.create(agency=justice, year=2024, last_value=700)
    dossier = dossier_approve(
        actor=users[HEAD], dossier=_at_approval(users, workflow_procedure, clock)
    )
    assert signed_result(dossier).register_number == "42/KQ-STP"
    assert RegisterSequence.objects.get(agency=justice, year=2025).last_value == 42
    assert RegisterSequence.objects.get(agency=justice, year=2024).last_value == 700
