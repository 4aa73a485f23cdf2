"""Each citizen-visible status reaches the applicant through the outbox, with
the wording of the editable message templates (issue #5 item 6)."""

from __future__ import annotations

import pytest

from dossiers.services.apology import apology_issue
from dossiers.services.closing import dossier_return
from dossiers.services.decisions import dossier_approve, supplement_draft, supplement_issue
from dossiers.services.processing import step_complete
from dossiers.services.results import result_draft_upload
from tests.dossiers.files import make_pdf, upload
from tests.dossiers.processing import at, in_processing
from tthc_portal.notifications.models import MessageTemplate, OutboxMessage

pytestmark = pytest.mark.django_db


def _subjects(dossier) -> list[str]:
    return list(
        OutboxMessage.objects.filter(topic=f"dossiers.dossier:{dossier.pk}", channel="email")
        .order_by("pk")
        .values_list("subject", flat=True)
    )


def test_every_citizen_visible_status_is_notified(users, workflow_procedure, clock):
    template = MessageTemplate.objects.get(key="dossier.approve")
    template.subject = "Kết quả hồ sơ {{ code }} đã sẵn sàng (mẫu đã sửa)"
    template.save()
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    step = step_complete(actor=users["lanhdao.tuphap"], step=dossier.current_step,
                         assignee=users["chuyenvien.tuphap"])  # fmt: skip
    request = supplement_draft(actor=users["chuyenvien.tuphap"], dossier=dossier,
                               items=[{"name": "Bản sao", "reason": "Mờ"}])  # fmt: skip
    supplement_issue(actor=users["lanhdao.tuphap"], request=request)
    from dossiers.services.submission import dossier_supplement

    clock.set(2025, 3, 4, 9, 0)
    dossier_supplement(actor=users["001085012345"], dossier=dossier)
    apology_issue(actor=users["lanhdao.tuphap"], dossier=dossier, reason="Chờ xác minh",
                  new_due_at=at(2025, 3, 14, 17, 0))  # fmt: skip
    result_draft_upload(actor=users["chuyenvien.tuphap"], dossier=dossier,
                        upload=upload("kq.pdf", make_pdf()))  # fmt: skip
    step_complete(actor=users["chuyenvien.tuphap"], step=step)
    dossier_approve(actor=users["lanhdao.tuphap"], dossier=dossier)
    dossier_return(actor=users["motcua.tuphap"], dossier=dossier, method="desk",
                   returned_to="Nguyễn Văn An")  # fmt: skip
    subjects = _subjects(dossier)
    code = dossier.code
    expected = [
        "Hồ sơ cần thanh toán phí, lệ phí",  # the online fee, on submission
        f"Hồ sơ {code} đã được tiếp nhận",
        "bổ sung",
        "Xin lỗi",
        f"Kết quả hồ sơ {code} đã sẵn sàng (mẫu đã sửa)",
        f"Hồ sơ {code} đã trả kết quả",
    ]
    position = 0
    for wanted in expected:
        found = next(
            (i for i, s in enumerate(subjects[position:], start=position) if wanted in s), None
        )
        assert found is not None, (wanted, subjects)
        position = found + 1
    # SMS as well for the apology (the citizen gave a phone number).
    assert OutboxMessage.objects.filter(
        topic=f"dossiers.dossier:{dossier.pk}", channel="sms", body__contains="Xin lỗi"
    ).exists()
