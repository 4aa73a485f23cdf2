"""Issue 15 item 14 on the desk's check page: an action the service refuses
redirects back to the page with the reason as a message (post/redirect/get),
so a refresh does not send it again; input the officer must correct is shown
again (400) with every typed value kept, as on the processing page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dossiers.models import Channel, DocumentKind, Dossier, Status, StatusHistory
from dossiers.services.reception import dossier_refuse, dossier_request_completion
from dossiers.services.submission import component_attach, dossier_create_draft, dossier_resubmit
from tests.dossiers.files import make_pdf, upload
from tests.dossiers.test_desk_queue import submit_online

pytestmark = pytest.mark.django_db
OFFICER = "motcua.tuphap"


def url(name: str, dossier: Dossier) -> str:
    return reverse(f"dossiers:{name}", args=[dossier.pk])


@pytest.fixture
def desk(client, users):
    client.force_login(users[OFFICER])
    return client


def refused_back(desk, dossier: Dossier, response, reason: str) -> str:
    """A refused action answers a redirect to the check page; its GET shows
    the reason as an error message and no error box (nothing re-rendered)."""
    assert response.status_code == 302
    assert response["Location"] == url("desk_check", dossier)
    page = desk.get(response["Location"]).content.decode()
    assert 'class="message message-error"' in page and reason in page, page[:2000]
    assert 'data-testid="desk-error"' not in page
    return page


def incomplete_counter_draft(users, procedure) -> Dossier:
    """A counter dossier with the applicant's identity and one of its two
    required papers: the service refuses to receive it."""
    officer = users[OFFICER]
    dossier = dossier_create_draft(actor=officer, procedure=procedure, channel=Channel.IN_PERSON)
    Dossier.objects.filter(pk=dossier.pk).update(
        applicant_name="Trần Thị Bình", applicant_id_number="001190000001"
    )
    first = procedure.current_version.components.order_by("order").first()
    component_attach(actor=officer, dossier=dossier, requirement_id=first.pk,
                     upload=upload("don.pdf", make_pdf()))  # fmt: skip
    return dossier


def test_a_refused_receive_redirects_with_the_reason(desk, users, online_procedure):
    dossier = incomplete_counter_draft(users, online_procedure)
    response = desk.post(url("desk_receive", dossier))
    page = refused_back(desk, dossier, response, "Chưa thực hiện được “Tiếp nhận hồ sơ”")
    assert "Hồ sơ chưa đủ thành phần bắt buộc" in page and "Thiếu: Sơ yếu lý lịch" in page
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.code is None
    assert not StatusHistory.objects.filter(dossier=dossier).exists()


def test_a_refresh_of_the_refused_receive_replays_the_redirect(desk, users, online_procedure):
    # The browser's "send again" carries the same idempotency key: the same
    # redirect and message come back; the view does not run a second time.
    dossier = incomplete_counter_draft(users, online_procedure)
    key = {"idempotency_key": "a" * 32}
    first = desk.post(url("desk_receive", dossier), key)
    again = desk.post(url("desk_receive", dossier), key)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == url("desk_check", dossier)
    assert again.get("Idempotent-Replayed")


def test_receiving_without_the_applicants_identity_redirects(desk, users, online_procedure):
    dossier = dossier_create_draft(
        actor=users[OFFICER], procedure=online_procedure, channel=Channel.IN_PERSON
    )
    response = desk.post(url("desk_receive", dossier))
    refused_back(desk, dossier, response, "Chưa thể tiếp nhận: hồ sơ còn thiếu họ và tên người nộp")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.DRAFT


def test_receiving_a_refused_dossier_redirects(desk, users, online_procedure):
    dossier = submit_online(users, online_procedure)
    dossier_refuse(actor=users[OFFICER], dossier=dossier, reason="Không thuộc thẩm quyền")
    response = desk.post(url("desk_receive", dossier))
    refused_back(desk, dossier, response, "Không thể “Tiếp nhận hồ sơ”")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.REFUSED


def test_a_second_completion_request_redirects(desk, users, online_procedure):
    dossier = submit_online(users, online_procedure)
    first = online_procedure.current_version.components.order_by("order").first()
    dossier = dossier_request_completion(
        actor=users[OFFICER], dossier=dossier,
        items=[{"requirement": first.pk, "name": first.name, "reason": "Thiếu chữ ký"}],
    )  # fmt: skip
    dossier_resubmit(actor=users["001085012345"], dossier=dossier)
    response = desk.post(
        url("desk_request_completion", dossier),
        {f"item_{first.pk}": "on", f"reason_{first.pk}": "Ảnh mờ", "note": ""},
    )
    refused_back(desk, dossier, response, "đã được yêu cầu bổ sung một lần")
    assert dossier.documents.filter(kind=DocumentKind.SUPPLEMENT).count() == 1


def test_invalid_completion_input_is_shown_again_with_400(desk, users, online_procedure):
    dossier = submit_online(users, online_procedure)
    first, second = online_procedure.current_version.components.order_by("order")[:2]
    response = desk.post(
        url("desk_request_completion", dossier),
        {f"item_{first.pk}": "on", f"reason_{first.pk}": "Thiếu chữ ký",
         f"item_{second.pk}": "on", f"reason_{second.pk}": " ", "note": "Nộp trong 5 ngày"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="desk-error"' in page and 'role="alert"' in page
    assert "Vui lòng ghi lý do cần bổ sung, hoàn thiện “Sơ yếu lý lịch”." in page
    assert 'value="Thiếu chữ ký"' in page and "Nộp trong 5 ngày" in page
    assert re.search(rf'name="item_{second.pk}"[^>]*checked', page)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED


def test_a_rejected_scan_redirects_with_the_reason(desk, users, online_procedure):
    dossier = dossier_create_draft(
        actor=users[OFFICER], procedure=online_procedure, channel=Channel.IN_PERSON
    )
    requirement = online_procedure.current_version.components.order_by("order").first()
    response = desk.post(
        url("desk_digitise", dossier),
        {"requirement": requirement.pk, "file": upload("scan.pdf", b"not a pdf at all")},
    )
    refused_back(desk, dossier, response, "Chưa thực hiện được “Số hóa giấy tờ”")
    assert not dossier.components.exists()


def test_a_scan_without_a_file_is_shown_again_with_400(desk, users, online_procedure):
    dossier = dossier_create_draft(
        actor=users[OFFICER], procedure=online_procedure, channel=Channel.IN_PERSON
    )
    requirement = online_procedure.current_version.components.order_by("order").first()
    response = desk.post(url("desk_digitise", dossier), {"requirement": requirement.pk})
    assert response.status_code == 400
    assert "Vui lòng chọn tệp bản quét." in response.content.decode()


def test_a_refused_resubmit_redirects(desk, users, online_procedure):
    dossier = submit_online(users, online_procedure)  # not waiting for completion
    response = desk.post(url("desk_resubmit", dossier))
    refused_back(desk, dossier, response, "Chưa thực hiện được “Nộp lại hồ sơ”")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED
