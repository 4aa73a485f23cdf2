"""Desk reception: receive with code and appointment, ask once, refuse."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from dossiers.models import (
    Channel,
    DocumentKind,
    Dossier,
    Payment,
    Status,
    StatusHistory,
    SupplementRequest,
)
from dossiers.services import DossierError
from dossiers.services.reception import (
    dossier_receive,
    dossier_refuse,
    dossier_request_completion,
)
from dossiers.services.submission import (
    component_attach,
    dossier_create_draft,
    dossier_resubmit,
    dossier_submit,
)
from tests.dossiers.files import make_pdf, upload
from tthc_portal.audit.models import AuditEvent
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def submitted(users, procedure, *, complete: bool = True) -> Dossier:
    citizen = users["001085012345"]
    dossier = dossier_create_draft(actor=citizen, procedure=procedure)
    requirements = list(procedure.current_version.components.order_by("order"))
    for requirement in requirements[: 2 if complete else 1]:
        component_attach(
            actor=citizen, dossier=dossier, requirement_id=requirement.pk,
            upload=upload(f"{requirement.order}.pdf", make_pdf()),
        )  # fmt: skip
    if complete:
        return dossier_submit(actor=citizen, dossier=dossier)
    return dossier


def test_online_submission_requests_the_online_fee(users, online_procedure):
    dossier = submitted(users, online_procedure)
    assert dossier.status == Status.SUBMITTED and dossier.channel == Channel.ONLINE
    assert dossier.reception_due_at > dossier.submitted_at
    payment = Payment.objects.get(dossier=dossier)
    assert payment.amount_vnd == 50000  # the online amount, not the 100,000 at the desk
    assert payment.fee_items[0]["name"] == "Lệ phí"


def test_submission_needs_every_required_component(users, online_procedure):
    dossier = submitted(users, online_procedure, complete=False)
    with pytest.raises(DossierError) as refused:
        dossier_submit(actor=users["001085012345"], dossier=dossier)
    assert refused.value.errors == ["Thiếu: Sơ yếu lý lịch"]


def test_receive_assigns_code_and_appointment(users, online_procedure):
    dossier = submitted(users, online_procedure)
    received_at = datetime(2025, 1, 24, 10, 0, tzinfo=TZ)  # Tết 2025 follows
    dossier = dossier_receive(actor=users["motcua.tuphap"], dossier=dossier, at=received_at)
    assert dossier.status == Status.RECEIVED
    assert dossier.code == "000.00.10.H99-250124-0001"
    assert dossier.receiving_agency_code == "000.00.10.H99"
    # 30 calendar days (20 + 10 stages) from Fri 24/01 → Sun 23/02 → Mon 24/02 17:00.
    assert dossier.due_at == datetime(2025, 2, 24, 17, 0, tzinfo=TZ)
    assert dossier.original_due_at == dossier.due_at
    assert dossier.documents.filter(kind=DocumentKind.RECEIPT).count() == 1
    history = list(dossier.history.order_by("pk").values_list("action", "from_status", "to_status"))
    assert history == [("submit", "draft", "submitted"), ("receive", "submitted", "received")]
    assert AuditEvent.objects.filter(action="dossier.receive", target_id=str(dossier.pk)).exists()
    assert OutboxMessage.objects.filter(
        recipient="001085012345@demo.tthc.local", subject__contains=dossier.code
    ).exists()


def test_codes_follow_the_daily_sequence_per_agency(users, online_procedure):
    day = datetime(2025, 3, 3, 9, 0, tzinfo=TZ)
    codes = [
        dossier_receive(actor=users["motcua.tuphap"], dossier=submitted(users, online_procedure),
                        at=day).code
        for _ in range(3)
    ]  # fmt: skip
    assert codes == [f"000.00.10.H99-250303-000{i}" for i in (1, 2, 3)]
    next_day = dossier_receive(
        actor=users["motcua.tuphap"], dossier=submitted(users, online_procedure),
        at=datetime(2025, 3, 4, 9, 0, tzinfo=TZ),
    )  # fmt: skip
    assert next_day.code == "000.00.10.H99-250304-0001"


def test_only_the_receiving_agencys_desk_may_receive(users, online_procedure):
    dossier = submitted(users, online_procedure)
    for outsider in ("motcua.yte", "chuyenvien.tuphap", "001085012345", "036190004567"):
        with pytest.raises(PermissionDenied):
            dossier_receive(actor=users[outsider], dossier=dossier)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED


def test_request_completion_lists_every_item_once_then_resubmit(users, online_procedure):
    dossier = submitted(users, online_procedure)
    requirements = list(online_procedure.current_version.components.order_by("order"))
    with pytest.raises(DossierError, match="lý do"):
        dossier_request_completion(
            actor=users["motcua.tuphap"], dossier=dossier,
            items=[{"requirement": requirements[0].pk, "name": "Đơn đề nghị", "reason": ""}],
        )  # fmt: skip
    dossier = dossier_request_completion(
        actor=users["motcua.tuphap"],
        dossier=dossier,
        items=[
            {"requirement": requirements[0].pk, "name": "Đơn đề nghị", "reason": "Thiếu chữ ký"},
            {"requirement": requirements[1].pk, "name": "Sơ yếu lý lịch", "reason": "Ảnh mờ"},
        ],
        note="Nộp lại trong 5 ngày",
    )
    assert dossier.status == Status.AWAITING_COMPLETION and dossier.code is None
    request = SupplementRequest.objects.get(dossier=dossier)
    assert [item["reason"] for item in request.items] == ["Thiếu chữ ký", "Ảnh mờ"]
    assert dossier.documents.filter(kind=DocumentKind.SUPPLEMENT, source_id=request.pk).exists()
    dossier = dossier_resubmit(actor=users["001085012345"], dossier=dossier)
    assert dossier.status == Status.SUBMITTED
    request.refresh_from_db()
    assert request.completed_at is not None


def test_refusal_needs_a_reason_and_issues_form_03(users, online_procedure):
    dossier = submitted(users, online_procedure)
    with pytest.raises(DossierError):
        dossier_refuse(actor=users["motcua.tuphap"], dossier=dossier, reason="  ")
    dossier = dossier_refuse(
        actor=users["motcua.tuphap"], dossier=dossier, reason="Không thuộc thẩm quyền của Sở"
    )
    assert dossier.status == Status.REFUSED and dossier.refusal_reason
    assert dossier.documents.filter(kind=DocumentKind.REFUSAL).exists()
    with pytest.raises(DossierError, match="Từ chối tiếp nhận"):
        dossier_receive(actor=users["motcua.tuphap"], dossier=dossier)


def test_reception_of_an_abolished_procedure_is_refused(users, online_procedure):
    dossier = submitted(users, online_procedure)
    online_procedure.reception_locked = True
    online_procedure.save(update_fields=["reception_locked"])
    with pytest.raises(DossierError, match="bãi bỏ"):
        dossier_receive(actor=users["motcua.tuphap"], dossier=dossier)
    assert not StatusHistory.objects.filter(dossier=dossier, action="receive").exists()
