"""The check page and its three outcomes, driven through HTTP."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import (
    Channel,
    DocumentKind,
    Dossier,
    Status,
    StatusHistory,
    SupplementRequest,
)
from dossiers.services.submission import component_attach, dossier_create_draft
from tests.dossiers.files import make_pdf, upload
from tests.dossiers.test_desk_queue import submit_online

pytestmark = pytest.mark.django_db
OFFICER = "motcua.tuphap"


def url(name: str, dossier: Dossier) -> str:
    return reverse(f"dossiers:{name}", args=[dossier.pk])


def requirements(procedure) -> list:
    return list(procedure.current_version.components.order_by("order"))


@pytest.fixture
def desk(client, users):
    client.force_login(users[OFFICER])
    return client


def test_check_page_shows_everything_side_by_side(desk, users, online_procedure):
    dossier = submit_online(users, online_procedure)
    response = desk.get(url("desk_check", dossier))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Nguyễn Văn An", "001085012345", "Đơn đề nghị", "Sơ yếu lý lịch",
                 "Giấy tờ khác", "tp1.pdf", "tp2.pdf", "Lệ phí", "50.000 đồng"):  # fmt: skip
        assert text in page, text
    # Online uploads are not desk scans; the optional item is not flagged missing.
    assert 'data-flag="digitised"' not in page and 'data-flag="missing"' not in page
    assert page.count('name="file"') == 3  # a "Số hóa" upload per requirement
    component = dossier.components.get(original_filename="tp1.pdf")
    link = reverse("dossiers:component_download", args=[dossier.pk, component.pk])
    assert f'href="{link}"' in page
    assert desk.get(link).status_code == 200
    for form in ("receive-form", "completion-form", "refusal-form"):
        assert f'data-testid="{form}"' in page
    # Every requirement is offered in the consolidated request, with a reason box.
    for requirement in requirements(online_procedure):
        assert f'name="item_{requirement.pk}"' in page
        assert f'name="reason_{requirement.pk}"' in page


def test_receive_through_the_page(desk, users, online_procedure):
    dossier = submit_online(users, online_procedure)
    response = desk.post(url("desk_receive", dossier), follow=True)
    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    today = timezone.localdate().strftime("%y%m%d")
    assert re.fullmatch(rf"000\.00\.10\.H99-{today}-0001", dossier.code)
    page = response.content.decode()
    assert dossier.code in page
    due = timezone.localtime(dossier.due_at)
    appointment = f"{due:%H:%M} ngày {due:%d/%m/%Y}"
    assert appointment in page  # in the success message and the receipt panel
    assert re.search(r'data-testid="appointment"><strong>' + re.escape(appointment), page)
    receipt = dossier.documents.get(kind=DocumentKind.RECEIPT)
    assert f'id="document-{receipt.pk}"' in page  # the document's status fragment
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    assert 'data-testid="receive-form"' not in page  # decided: no more outcomes


def test_request_completion_lists_both_items_in_one_request(desk, users, online_procedure):
    dossier = submit_online(users, online_procedure)
    first, second, _optional = requirements(online_procedure)
    response = desk.post(
        url("desk_request_completion", dossier),
        {
            f"item_{first.pk}": "on", f"reason_{first.pk}": "Thiếu chữ ký của người đề nghị",
            f"item_{second.pk}": "on", f"reason_{second.pk}": "Ảnh chân dung bị mờ",
            "note": "Vui lòng nộp lại trong 5 ngày làm việc",
        },
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_COMPLETION and dossier.code is None
    request = SupplementRequest.objects.get(dossier=dossier)
    assert request.items == [
        {"requirement": first.pk, "name": "Đơn đề nghị",
         "reason": "Thiếu chữ ký của người đề nghị"},
        {"requirement": second.pk, "name": "Sơ yếu lý lịch", "reason": "Ảnh chân dung bị mờ"},
    ]  # fmt: skip
    assert request.note == "Vui lòng nộp lại trong 5 ngày làm việc"
    assert dossier.documents.filter(kind=DocumentKind.SUPPLEMENT, source_id=request.pk).exists()
    page = response.content.decode()
    assert "Ảnh chân dung bị mờ" in page and "gồm 2 nội dung" in page

    # The applicant brings the corrected papers to the counter: scanned, back to the check.
    scanned = desk.post(
        url("desk_digitise", dossier),
        {"requirement": second.pk, "file": upload("so-yeu-ly-lich.pdf", make_pdf(3))},
    )
    assert scanned.status_code == 302
    new_scan = dossier.components.get(original_filename="so-yeu-ly-lich.pdf")
    assert new_scan.is_digitised and new_scan.digitised_by == users[OFFICER]
    desk.post(url("desk_resubmit", dossier))
    dossier.refresh_from_db()
    request.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and request.completed_at is not None


def test_missing_reason_is_an_error_and_nothing_is_stored(desk, users, online_procedure):
    dossier = submit_online(users, online_procedure)
    first, second, _optional = requirements(online_procedure)
    response = desk.post(
        url("desk_request_completion", dossier),
        {
            f"item_{first.pk}": "on", f"reason_{first.pk}": "Thiếu chữ ký",
            f"item_{second.pk}": "on", f"reason_{second.pk}": "  ",
            "extra_name_1": "Bản sao bằng đại học", "extra_reason_1": "Chưa chứng thực",
        },
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vui lòng ghi lý do cần bổ sung, hoàn thiện “Sơ yếu lý lịch”." in page
    # What the officer typed is kept.
    assert 'value="Thiếu chữ ký"' in page and 'value="Bản sao bằng đại học"' in page
    assert re.search(rf'name="item_{second.pk}"[^>]*checked', page)
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert not SupplementRequest.objects.filter(dossier=dossier).exists()
    assert not dossier.documents.exists()

    empty = desk.post(url("desk_request_completion", dossier), {"note": "x"})
    assert "phải liệt kê ít nhất một nội dung" in empty.content.decode()
    assert not SupplementRequest.objects.filter(dossier=dossier).exists()


def test_refuse_needs_a_reason(desk, users, online_procedure):
    dossier = submit_online(users, online_procedure)
    response = desk.post(url("desk_refuse", dossier), {"reason": "   "})
    assert response.status_code == 400
    assert "Vui lòng ghi rõ lý do từ chối tiếp nhận hồ sơ." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and not dossier.documents.exists()

    reason = "Không thuộc thẩm quyền giải quyết của Sở Tư pháp"
    asked = desk.post(url("desk_refuse", dossier), {"reason": reason})
    assert 'data-testid="confirm-refuse"' in asked.content.decode()  # consequences first
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED
    response = desk.post(
        url("desk_refuse", dossier), {"reason": reason, "confirmed": "1"}, follow=True
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.REFUSED and dossier.refusal_reason == reason
    assert dossier.documents.filter(kind=DocumentKind.REFUSAL).count() == 1
    assert reason in response.content.decode()
    # A decided dossier cannot be decided again; the service says why (after a redirect).
    again = desk.post(url("desk_receive", dossier), follow=True)
    assert again.redirect_chain == [(url("desk_check", dossier), 302)]
    assert "Không thể “Tiếp nhận hồ sơ”" in again.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.REFUSED


def test_receiving_with_a_missing_component_shows_the_service_error(desk, users, online_procedure):
    officer = users[OFFICER]
    dossier = dossier_create_draft(
        actor=officer, procedure=online_procedure, channel=Channel.IN_PERSON
    )
    Dossier.objects.filter(pk=dossier.pk).update(
        applicant_name="Trần Thị Bình", applicant_id_number="001190000001"
    )
    first = requirements(online_procedure)[0]
    component_attach(actor=officer, dossier=dossier, requirement_id=first.pk,
                     upload=upload("don.pdf", make_pdf()))  # fmt: skip
    page = desk.get(url("desk_check", dossier)).content.decode()
    assert page.count('data-flag="missing"') == 1  # highlighted before trying

    response = desk.post(url("desk_receive", dossier), follow=True)
    assert response.redirect_chain == [(url("desk_check", dossier), 302)]
    page = response.content.decode()
    assert 'class="message message-error"' in page
    assert "Hồ sơ chưa đủ thành phần bắt buộc; hãy yêu cầu bổ sung thay vì tiếp nhận." in page
    assert "Thiếu: Sơ yếu lý lịch" in page
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.code is None
    assert not StatusHistory.objects.filter(dossier=dossier).exists()
