"""The head's decisions from the processing page: the supplement request
(drafted by the specialist, the second one only with a justification and an
acknowledgement), the apology letter with its one new date, refusal as not
eligible and stopping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import (
    Apology,
    DocumentKind,
    Dossier,
    Status,
    SupplementRequest,
    SupplementState,
)
from dossiers.services.submission import dossier_supplement
from tests.dossiers.casework import (
    CITIZEN,
    HEAD,
    SPECIALIST,
    assigned,
    local,
    workflow_procedure_fixture,  # noqa: F401 (the workflow_procedure fixture)
)
from tests.dossiers.page_support import refused
from tthc_portal.workdays.services import get_calendar

pytestmark = pytest.mark.django_db


def page_url(dossier: Dossier) -> str:
    return reverse("processing:dossier", args=[dossier.pk])


def action_url(name: str, dossier: Dossier) -> str:
    return reverse(f"processing:{name}", args=[dossier.pk])


def draft_data(requirement, reason: str = "Bản chụp không rõ", **extra) -> dict:
    return {f"item_{requirement.pk}": "on", f"reason_{requirement.pk}": reason, **extra}


def test_supplement_draft_then_signed_off_by_the_head(client, users, workflow_procedure):
    dossier = assigned(users, workflow_procedure)
    requirement = workflow_procedure.current_version.components.first()
    client.force_login(users[SPECIALIST])
    missing_reason = client.post(
        action_url("supplement_draft", dossier), {f"item_{requirement.pk}": "on"}
    )
    assert missing_reason.status_code == 400
    assert "Vui lòng ghi lý do cần bổ sung, hoàn thiện" in missing_reason.content.decode()

    drafted = client.post(action_url("supplement_draft", dossier), draft_data(requirement),
                          follow=True)  # fmt: skip
    assert "chờ lãnh đạo ký duyệt" in drafted.content.decode()
    request = SupplementRequest.objects.get(dossier=dossier)
    assert request.state == SupplementState.DRAFT
    assert request.items[0]["reason"] == "Bản chụp không rõ"
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESSING  # nothing sent to the citizen yet

    client.force_login(users[HEAD])
    page = client.get(page_url(dossier)).content.decode()
    assert 'data-testid="supplement-issue-form"' in page and "Bản chụp không rõ" in page
    assert "acknowledge_late" not in page  # a first request needs no acknowledgement
    client.post(action_url("supplement_issue", dossier), {"request": request.pk})
    dossier.refresh_from_db()
    request.refresh_from_db()
    assert dossier.status == Status.AWAITING_SUPPLEMENT and dossier.supplement_count == 1
    assert request.state == SupplementState.ISSUED and request.requested_by == users[HEAD]
    assert dossier.documents.filter(kind=DocumentKind.SUPPLEMENT).exists()


def test_second_request_needs_justification_and_acknowledgement(client, users, workflow_procedure):
    dossier = assigned(users, workflow_procedure)
    requirement = workflow_procedure.current_version.components.first()
    client.force_login(users[SPECIALIST])
    client.post(action_url("supplement_draft", dossier), draft_data(requirement))
    client.force_login(users[HEAD])
    first = SupplementRequest.objects.get(dossier=dossier)
    client.post(action_url("supplement_issue", dossier), {"request": first.pk})
    dossier_supplement(actor=users[CITIZEN], dossier=dossier)  # the citizen answers

    client.force_login(users[SPECIALIST])
    page = client.get(page_url(dossier)).content.decode()
    warning = "Hồ sơ đã được yêu cầu bổ sung 1 lần."
    assert 'data-testid="supplement-warning"' in page and warning in page
    unjustified = client.post(
        action_url("supplement_draft", dossier), draft_data(requirement, note="Ghi chú giữ lại")
    )
    assert unjustified.status_code == 400  # a form error: shown with the input kept
    body = unjustified.content.decode()
    assert warning in body and "Ghi chú giữ lại</textarea>" in body  # the input is kept
    assert SupplementRequest.objects.filter(dossier=dossier).count() == 1

    client.post(
        action_url("supplement_draft", dossier),
        draft_data(requirement, "Thiếu trang 2", justification="Phát hiện khi thẩm định lại"),
    )
    second = SupplementRequest.objects.get(dossier=dossier, state=SupplementState.DRAFT)
    assert second.justification == "Phát hiện khi thẩm định lại"

    client.force_login(users[HEAD])
    assert 'name="acknowledge_late"' in client.get(page_url(dossier)).content.decode()
    unacknowledged = client.post(action_url("supplement_issue", dossier), {"request": second.pk})
    refused(client, dossier, unacknowledged, warning)
    client.post(
        action_url("supplement_issue", dossier), {"request": second.pk, "acknowledge_late": "on"}
    )
    dossier.refresh_from_db()
    assert dossier.supplement_count == 2 and dossier.status == Status.AWAITING_SUPPLEMENT


def test_head_discards_a_draft(client, users, workflow_procedure):
    dossier = assigned(users, workflow_procedure)
    requirement = workflow_procedure.current_version.components.first()
    client.force_login(users[SPECIALIST])
    client.post(action_url("supplement_draft", dossier), draft_data(requirement))
    request = SupplementRequest.objects.get(dossier=dossier)
    client.force_login(users[HEAD])
    client.post(action_url("supplement_discard", dossier), {"request": request.pk})
    request.refresh_from_db()
    assert request.state == SupplementState.CANCELLED
    again = client.post(action_url("supplement_issue", dossier), {"request": request.pk})
    assert again.status_code == 400
    assert "Dự thảo này đã được xử lý; hãy tải lại trang." in again.content.decode()


def _working_day_after(day, days: int):
    calendar = get_calendar()
    return calendar.next_working_day(day + timedelta(days=days))


def test_apology_with_a_new_date(client, users, workflow_procedure):
    dossier = assigned(users, workflow_procedure)
    due = timezone.localtime(dossier.due_at)
    client.force_login(users[SPECIALIST])
    assert "apology-form" not in client.get(page_url(dossier)).content.decode()

    client.force_login(users[HEAD])
    weekend = due.date() + timedelta(days=(5 - due.weekday()) % 7 or 7)  # a Saturday
    bad_day = client.post(
        action_url("apology", dossier),
        {"reason": "Chờ ý kiến liên ngành", "new_date": weekend.isoformat(), "new_time": "17:00"},
    )
    assert bad_day.status_code == 400
    body = bad_day.content.decode()
    assert "không phải ngày làm việc" in body and "Chờ ý kiến liên ngành</textarea>" in body

    earlier = get_calendar().next_working_day(due.date() - timedelta(days=3))
    too_early = client.post(
        action_url("apology", dossier),
        {"reason": "Chờ ý kiến", "new_date": earlier.isoformat(), "new_time": "09:00"},
    )
    assert too_early.status_code == 400
    assert "Ngày hẹn trả mới phải sau ngày hẹn hiện tại" in too_early.content.decode()

    new_day = _working_day_after(due.date(), 5)
    done = client.post(
        action_url("apology", dossier),
        {"reason": "Chờ ý kiến liên ngành", "new_date": new_day.isoformat(), "new_time": "16:30"},
        follow=True,
    )
    page = done.content.decode()
    letter = Apology.objects.get(dossier=dossier)
    assert timezone.localtime(letter.new_due_at).strftime("%d/%m/%Y %H:%M") == (
        f"{new_day:%d/%m/%Y} 16:30"
    )
    dossier.refresh_from_db()
    assert dossier.apology_issued and dossier.due_at == letter.new_due_at
    assert dossier.original_due_at == due
    assert "Đã ban hành phiếu xin lỗi và hẹn lại ngày trả kết quả" in page
    assert local(letter.new_due_at) in page and 'data-testid="original-due-at"' in page
    assert dossier.documents.filter(kind=DocumentKind.APOLOGY).exists()
    # Only once: the letter replaces the form, and a second one is refused.
    assert "apology-form" not in page and "Chờ ý kiến liên ngành" in page
    second = client.post(
        action_url("apology", dossier),
        {"reason": "Lần hai", "new_date": _working_day_after(new_day, 3).isoformat(),
         "new_time": "10:00"},
    )  # fmt: skip
    refused(client, dossier, second, "chỉ được hẹn lại một lần")


def test_apology_too_late_is_explained(client, users, workflow_procedure):
    dossier = assigned(users, workflow_procedure)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() + timedelta(hours=1))
    client.force_login(users[HEAD])
    page = client.get(page_url(dossier)).content.decode()
    assert 'data-testid="apology-not-allowed"' in page
    assert "chậm nhất 1 ngày làm việc trước hạn trả kết quả" in page
    assert "apology-form" not in page
    later = _working_day_after(timezone.localdate(), 10)
    too_late = client.post(
        action_url("apology", dossier),
        {"reason": "Trễ", "new_date": later.isoformat(), "new_time": "10:00"},
    )
    refused(client, dossier, too_late, "chậm nhất 1 ngày làm việc trước hạn trả kết quả")
    assert not Apology.objects.filter(dossier=dossier).exists()


def test_reject_and_stop_after_confirming_their_consequences(client, users, workflow_procedure):
    rejected = assigned(users, workflow_procedure)
    stopped = assigned(users, workflow_procedure)
    client.force_login(users[HEAD])
    empty = client.post(action_url("reject", rejected), {"reason": "  "})
    assert empty.status_code == 400
    assert "Vui lòng nêu rõ lý do hồ sơ không đủ điều kiện giải quyết." in empty.content.decode()

    # The form leads to a confirmation page; nothing has happened yet.
    asked = client.post(action_url("reject", rejected), {"reason": "Không đủ năm kinh nghiệm"})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'data-testid="confirm-reject"' in page and "Không đủ năm kinh nghiệm" in page
    assert "Thông báo hồ sơ không đủ điều kiện giải quyết" in page
    assert "Cổng Dịch vụ công quốc gia" in page and 'name="confirmed" value="1"' in page
    rejected.refresh_from_db()
    assert rejected.status == Status.IN_PROCESSING

    client.post(
        action_url("reject", rejected), {"reason": "Không đủ năm kinh nghiệm", "confirmed": "1"}
    )
    rejected.refresh_from_db()
    assert rejected.status == Status.REJECTED
    assert rejected.refusal_reason == "Không đủ năm kinh nghiệm"
    assert rejected.documents.filter(kind=DocumentKind.NOT_ELIGIBLE).exists()
    assert not rejected.steps.filter(completed_at__isnull=True).exists()

    client.post(action_url("stop", stopped), {"reason": "Công dân không bổ sung", "confirmed": "1"})
    stopped.refresh_from_db()
    assert stopped.status == Status.STOPPED and stopped.stop_reason == "Công dân không bổ sung"
    page = client.get(page_url(stopped)).content.decode()
    assert "Lý do dừng:" in page and "stop-form" not in page
    # A decision on a closed dossier is refused with the state in words, no confirmation.
    late = client.post(action_url("stop", stopped), {"reason": "Lần nữa"})
    refused(client, stopped, late, "Dừng xử lý")
