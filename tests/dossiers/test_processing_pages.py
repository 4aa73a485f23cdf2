"""The dossier processing page: who sees it, what each person is offered, and
each action through its form — success redirects with a message, invalid
input is shown next to its form with the input kept, a refused operation
redirects back with the reason (a refresh does not send it again), a
forbidden one is a 403."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from dossiers.models import DocumentKind, Dossier, DossierStep, Status, StepKind, StepOutcome
from dossiers.services.processing import step_consult
from procedures.models import WorkflowStep
from tests.dossiers.casework import (
    CITIZEN,
    DESK,
    HEAD,
    SPECIALIST,
    assigned,
    at_approval,
    open_step,
    transferred,
    workflow_procedure_fixture,  # noqa: F401 (the workflow_procedure fixture)
)
from tests.dossiers.conftest import HEALTH
from tests.dossiers.files import make_pdf, upload
from tests.dossiers.page_support import refused
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency

pytestmark = pytest.mark.django_db


def page_url(dossier: Dossier) -> str:
    return reverse("processing:dossier", args=[dossier.pk])


def action_url(name: str, dossier: Dossier) -> str:
    return reverse(f"processing:{name}", args=[dossier.pk])


def forms_offered(response) -> set[str]:
    return set(re.findall(r'data-testid="([a-z-]+)-form"', response.content.decode()))


def test_who_sees_the_page(client, users, workflow_procedure):
    dossier = transferred(users, workflow_procedure)
    for username in (DESK, SPECIALIST, HEAD):
        client.force_login(users[username])
        response = client.get(page_url(dossier))
        assert response.status_code == 200, username
        page = response.content.decode()
        assert dossier.code in page and "Nguyễn Văn An" in page
    # Another department's staff and the applicant: the dossier does not exist for them.
    for username in ("chuyenvien.yte", "lanhdao.yte", CITIZEN):
        client.force_login(users[username])
        assert client.get(page_url(dossier)).status_code == 404, username
    client.force_login(users[HEAD])
    assert client.get(reverse("processing:dossier", args=[999999])).status_code == 404


def test_header_and_control_sheet(client, users, workflow_procedure):
    dossier = assigned(users, workflow_procedure)
    client.force_login(users[SPECIALIST])
    response = client.get(page_url(dossier))
    page = response.content.decode()
    assert timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y") in page
    assert timezone.localtime(dossier.received_at).strftime("%H:%M %d/%m/%Y") in page
    assert 'data-testid="supplement-count">0<' in page
    steps = response.context["steps"]
    assert [s.order for s in steps] == [1, 2]
    reception, appraisal = steps
    assert reception.completed_at and reception.timeliness in ("early", "on_time")
    assert appraisal.assignee == users[SPECIALIST] and appraisal.completed_at is None
    assert "Thẩm định, dự thảo kết quả" in page and "Phạm Thị Thụ Lý" in page
    assert "Bạn đang xử lý bước này." in page

    # Form 06 is issued as a paper of the dossier and shown with its progress.
    printed = client.post(action_url("control_sheet", dossier), follow=True)
    assert printed.redirect_chain[-1][0].endswith("#giay-to")
    sheet = dossier.documents.get(kind=DocumentKind.CONTROL_SHEET)
    assert f'id="document-{sheet.pk}"' in printed.content.decode()
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in printed.content.decode()


def test_head_assigns_from_the_page(client, users, workflow_procedure):
    dossier = transferred(users, workflow_procedure)
    step = dossier.current_step
    client.force_login(users[SPECIALIST])
    assert "assign" not in forms_offered(client.get(page_url(dossier)))

    client.force_login(users[HEAD])
    offered = forms_offered(client.get(page_url(dossier)))
    assert {"assign", "reject", "stop", "apology"} <= offered
    response = client.post(
        action_url("assign", dossier), {"step": step.pk, "assignee": users[SPECIALIST].pk},
        follow=True,
    )  # fmt: skip
    assert "Đã phân công Phạm Thị Thụ Lý" in response.content.decode()
    step.refresh_from_db()
    assert step.assignee == users[SPECIALIST] and step.assigned_by == users[HEAD]

    # Someone outside the unit is not a choice: the form says so, nothing changes.
    refused = client.post(
        action_url("assign", dossier), {"step": step.pk, "assignee": users["chuyenvien.yte"].pk}
    )
    assert refused.status_code == 400
    assert "Người này không xử lý được bước này." in refused.content.decode()
    step.refresh_from_db()
    assert step.assignee == users[SPECIALIST]


def test_specialist_completes_with_next_assignee_and_stale_pages_are_refused(
    client, users, workflow_procedure
):
    dossier = assigned(users, workflow_procedure)
    step = dossier.current_step
    client.force_login(users[SPECIALIST])
    offered = forms_offered(client.get(page_url(dossier)))
    assert {"complete", "consult", "supplement-draft", "result-upload", "result-generate"} <= (
        offered
    )
    assert not offered & {"assign", "approve", "reject", "stop", "apology"}
    response = client.post(
        action_url("complete", dossier), {"step": step.pk, "note": "Hồ sơ hợp lệ"}, follow=True
    )
    assert "Đã hoàn thành bước và chuyển hồ sơ sang bước “Lãnh đạo xem xét, ký duyệt”" in (
        response.content.decode()
    )
    step.refresh_from_db()
    assert step.outcome == StepOutcome.COMPLETED and step.note == "Hồ sơ hợp lệ"
    assert open_step(dossier).role == "department_head"

    # The same (now stale) form again: a readable error, not a second handover.
    again = client.post(action_url("complete", dossier), {"step": step.pk, "note": "Lần hai"})
    refused(client, dossier, again, "Bước này đã được chuyển đi; hãy tải lại trang.")
    assert dossier.steps.count() == 3


def test_send_back_needs_a_reason_and_keeps_the_input(client, users, workflow_procedure):
    dossier = at_approval(users, workflow_procedure)
    head_step = open_step(dossier)
    client.force_login(users[HEAD])
    assert {"approve", "send-back"} <= forms_offered(client.get(page_url(dossier)))
    missing = client.post(action_url("send_back", dossier), {"step": head_step.pk, "to_order": 2})
    assert missing.status_code == 400
    page = missing.content.decode()
    assert "Vui lòng ghi rõ lý do trả lại." in page
    assert '<option value="2" selected>' in page  # the chosen step is kept

    sent = client.post(
        action_url("send_back", dossier),
        {"step": head_step.pk, "to_order": 2, "note": "Thiếu căn cứ pháp lý"},
    )
    assert sent.status_code == 302
    back = open_step(dossier)
    assert back.order == 2 and back.assignee == users[SPECIALIST]  # the earlier holder
    head_step.refresh_from_db()
    assert head_step.outcome == StepOutcome.SENT_BACK and head_step.note == "Thiếu căn cứ pháp lý"


def test_consultation_is_answered_by_the_other_agency(client, users, workflow_procedure):
    dossier = assigned(users, workflow_procedure)
    step = dossier.current_step
    health = Agency.objects.get(code=HEALTH)
    client.force_login(users[SPECIALIST])
    empty = client.post(action_url("consult", dossier), {"step": step.pk, "agency": health.pk})
    assert (
        empty.status_code == 400 and "Vui lòng nêu nội dung xin ý kiến." in empty.content.decode()
    )
    asked = client.post(
        action_url("consult", dossier),
        {"step": step.pk, "agency": health.pk, "question": "Cơ sở có đủ điều kiện y tế?"},
        follow=True,
    )
    assert "Đã gửi đề nghị xin ý kiến Sở Y tế" in asked.content.decode()
    consult = dossier.steps.get(kind=StepKind.CONSULT)

    # Finishing the step while the opinion is awaited is refused, with the reason.
    blocked = client.post(action_url("complete", dossier), {"step": step.pk})
    refused(client, dossier, blocked, "Còn ý kiến của cơ quan phối hợp chưa trả lời.")

    client.force_login(users["chuyenvien.yte"])  # the consulted unit now sees the dossier
    page = client.get(page_url(dossier))
    assert page.status_code == 200 and "answer" in forms_offered(page)
    assert "Cơ sở có đủ điều kiện y tế?" in page.content.decode()
    assert not forms_offered(page) & {"complete", "consult", "assign"}
    client.post(action_url("answer", dossier), {"consultation": consult.pk, "answer": "Đủ"})
    consult.refresh_from_db()
    assert consult.outcome == StepOutcome.ANSWERED and consult.note == "Đủ"

    client.force_login(users[SPECIALIST])
    assert client.post(action_url("complete", dossier), {"step": step.pk}).status_code == 302


def test_forbidden_actions_are_403(client, users, workflow_procedure):
    dossier = at_approval(users, workflow_procedure)
    client.force_login(users[SPECIALIST])
    assert client.post(action_url("approve", dossier), {"note": ""}).status_code == 403
    assert client.post(action_url("reject", dossier), {"reason": "Không"}).status_code == 403
    assert client.post(action_url("stop", dossier), {"reason": "Không"}).status_code == 403
    step = open_step(dossier)
    assert (
        client.post(
            action_url("assign", dossier), {"step": step.pk, "assignee": users[HEAD].pk}
        ).status_code
        == 403
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESSING
    client.force_login(users[CITIZEN])
    assert client.post(action_url("approve", dossier), {}).status_code == 404
    client.force_login(users[HEAD])
    assert client.get(action_url("approve", dossier)).status_code == 405


def test_result_draft_upload_and_generate_errors(client, users, workflow_procedure):
    dossier = assigned(users, workflow_procedure)
    client.force_login(users[SPECIALIST])
    short = client.post(action_url("result_generate", dossier), {"content": "Ngắn"})
    assert short.status_code == 400
    page = short.content.decode()
    assert "Nội dung kết quả quá ngắn (ít nhất 10 ký tự)." in page and "Ngắn</textarea>" in page

    not_pdf = client.post(
        action_url("result_upload", dossier),
        {"file": upload("ket-qua.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png")},
    )
    refused(client, dossier, not_pdf, "Chưa thực hiện được “Dự thảo kết quả”")
    uploaded = client.post(
        action_url("result_upload", dossier), {"file": upload("ket-qua.pdf", make_pdf())},
        follow=True,
    )  # fmt: skip
    assert "Đã tải lên dự thảo kết quả" in uploaded.content.decode()
    draft = dossier.documents.get(kind=DocumentKind.RESULT)
    assert draft.signed_at is None
    assert reverse("dossiers:document_draft", args=[draft.pk]) in uploaded.content.decode()


def test_head_approves_and_signs_then_sees_the_valid_signature(client, users, workflow_procedure):
    dossier = at_approval(users, workflow_procedure)
    client.force_login(users[HEAD])
    page = client.get(page_url(dossier)).content.decode()
    draft = dossier.documents.get(kind=DocumentKind.RESULT)
    assert 'data-testid="draft-preview"' in page
    assert reverse("dossiers:document_draft", args=[draft.pk]) in page

    response = client.post(action_url("approve", dossier), {"note": "Đồng ý"}, follow=True)
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY and dossier.result_code
    page = response.content.decode()
    assert f"Đã phê duyệt và ký số kết quả {dossier.result_code}" in page
    assert 'data-testid="signature" data-valid="true"' in page
    assert "Chữ ký số hợp lệ" in page and "Sở Tư pháp" in page
    # The desk now holds the return step; the approval row is on the control sheet.
    assert open_step(dossier).kind == StepKind.RETURN
    approved = dossier.steps.get(outcome=StepOutcome.APPROVED)
    assert approved.completed_by == users[HEAD] and approved.note == "Đồng ý"


def test_approval_without_a_draft_is_explained(client, users, workflow_procedure):
    dossier = assigned(users, workflow_procedure)
    step = dossier.current_step
    client.force_login(users[SPECIALIST])
    client.post(action_url("complete", dossier), {"step": step.pk})
    client.force_login(users[HEAD])
    page = client.get(page_url(dossier)).content.decode()
    assert "Chưa có dự thảo kết quả" in page
    response = client.post(action_url("approve", dossier), {"note": "Đồng ý"})
    refused(
        client, dossier, response,
        "Chưa có dự thảo kết quả: chuyên viên phải tải lên hoặc soạn kết quả trước.",
    )  # fmt: skip
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESSING


def test_a_consulted_agency_sees_only_after_being_asked(client, users, workflow_procedure):
    dossier = assigned(users, workflow_procedure)
    client.force_login(users["lanhdao.yte"])
    assert client.get(page_url(dossier)).status_code == 404
    step_consult(
        actor=users[SPECIALIST], step=dossier.current_step,
        agency=Agency.objects.get(code=HEALTH), question="Xin ý kiến",
    )  # fmt: skip
    assert client.get(page_url(dossier)).status_code == 200
    assert DossierStep.objects.filter(dossier=dossier, kind=StepKind.CONSULT).count() == 1


def test_result_drafted_from_the_template(client, users, workflow_procedure):
    dossier = assigned(users, workflow_procedure)
    client.force_login(users[SPECIALIST])
    text = "Miễn nhiệm giám định viên tư pháp đối với ông Nguyễn Văn An."
    response = client.post(action_url("result_generate", dossier), {"content": text}, follow=True)
    assert "Đã soạn dự thảo kết quả từ mẫu" in response.content.decode()
    draft = dossier.documents.get(kind=DocumentKind.RESULT)
    assert draft.content == text and draft.signed_at is None
    with draft.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert 'data-testid="draft-preview"' in response.content.decode()


def test_head_assignment_step_names_the_next_specialist(client, users, workflow_procedure):
    """A workflow that starts with the head's assignment step (Cao Bằng's shape):
    completing it offers the specialists who may take the next step."""
    version = workflow_procedure.current_version
    WorkflowStep.objects.filter(version=version, order__gte=2).update(order=F("order") + 10)
    WorkflowStep.objects.create(
        version=version, order=2, name="Lãnh đạo phòng phân công", budget=Decimal("0.5"),
        actor_role=Role.DEPARTMENT_HEAD,
    )  # fmt: skip
    dossier = transferred(users, workflow_procedure)
    step = open_step(dossier)
    assert step.name == "Lãnh đạo phòng phân công"
    client.force_login(users[HEAD])
    page = client.get(page_url(dossier)).content.decode()
    assert 'name="assignee"' in page and "— Để lãnh đạo đơn vị phân công —" in page
    wrong = client.post(
        action_url("complete", dossier), {"step": step.pk, "assignee": users[DESK].pk}
    )
    assert wrong.status_code == 400
    assert "Người này không xử lý được bước sau." in wrong.content.decode()
    chosen = {"step": step.pk, "assignee": users[SPECIALIST].pk}
    assert client.post(action_url("complete", dossier), chosen).status_code == 302
    following = open_step(dossier)
    assert following.name == "Thẩm định, dự thảo kết quả"
    assert following.assignee == users[SPECIALIST]
