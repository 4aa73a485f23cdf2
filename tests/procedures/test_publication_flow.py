"""The publication chain through the services, from ministry decision to catalogue."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from portal_site.demo import seed_accounts, seed_agencies, seed_procedures
from procedures.models import (
    ChangeType,
    Procedure,
    ProcedureVersion,
    PublicationTask,
    TaskStatus,
    VersionStatus,
)
from procedures.services import ProcedureError
from procedures.services.publication import (
    ItemInput,
    item_start_draft,
    ministry_decision_record,
    publication_tasks_sweep,
    task_chairman_decision_record,
    version_transition_in_task,
)
from procedures.services.versions import version_update, versions_activate
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency
from tthc_portal.audit.models import AuditEvent
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

HEALTH = "000.00.11.H99"


@pytest.fixture
def province(holiday_calendar):
    agencies = seed_agencies()
    seed_accounts(agencies)
    seed_procedures()
    return agencies


def user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def record(province, *, change_type=ChangeType.AMENDED, code="1.001806", name=""):
    return ministry_decision_record(
        actor=user("vanphong"),
        number="3574/QĐ-BYT",
        decision_date=date(2025, 11, 19),
        issuing_body="Bộ Y tế",
        legal_basis_effective_date=date(2025, 12, 1),
        summary="Sửa đổi thủ tục",
        items=[
            ItemInput(
                change_type=change_type,
                responsible_agency=province[HEALTH],
                procedure_code=code,
                procedure_name=name,
            )
        ],
    )


def test_recording_a_decision_opens_a_task_with_calendar_deadlines(province):
    decision = record(province)
    task = decision.tasks.get()
    assert task.agency.code == HEALTH
    assert (task.list_due, task.workflow_due) == (date(2025, 11, 25), date(2025, 11, 28))
    assert task.decision_due == date(2025, 11, 24)
    assert task.status == TaskStatus.OPEN
    head_mail = OutboxMessage.objects.filter(recipient="lanhdao.yte@demo.tthc.local")
    assert head_mail.count() == 1
    assert AuditEvent.objects.filter(action="ministry_decision.record").count() == 1


def test_only_provincial_staff_record_decisions(province):
    with pytest.raises(PermissionDenied):
        ministry_decision_record(
            actor=user("chuyenvien.yte"),
            number="1/QĐ-BYT",
            decision_date=date(2025, 11, 19),
            issuing_body="Bộ Y tế",
            legal_basis_effective_date=None,
            summary="",
            items=[ItemInput(ChangeType.AMENDED, province[HEALTH], "1.001806")],
        )


def test_unknown_code_for_an_amendment_is_refused(province):
    with pytest.raises(ProcedureError, match=r"Không tìm thấy thủ tục mã 9\.999999"):
        record(province, code="9.999999")


def _draft(province, complete: bool = False):
    task = record(province).tasks.get()
    version = item_start_draft(actor=user("chuyenvien.yte"), item=task.items.get())
    if complete:
        # The imported list-type procedure lacks some constituent parts.
        version = version_update(
            actor=user("chuyenvien.yte"),
            version=version,
            content={"steps_text": "Nộp hồ sơ; thẩm định; trả kết quả.",
                     "applicant_types": ["citizen", "business"]},
            children={"components": [{"order": 1, "name": "Đơn đề nghị", "count": 1}]},
        )  # fmt: skip
    return task, version


def test_full_chain_to_the_public_catalogue(province):
    task, draft = _draft(province)
    procedure = draft.procedure
    published = procedure.current_version
    assert draft.status == VersionStatus.DRAFT and draft.number == published.number + 1
    assert draft.steps.count() == published.steps.count() == 7

    # The amendment cuts the time to 8 working days but keeps the old workflow:
    # the budgets (10 days) no longer add up, so submission is refused.
    draft = version_update(
        actor=user("chuyenvien.yte"),
        version=draft,
        content={"time_limit": Decimal(8), "steps_text": "Nộp hồ sơ; thẩm định; trả kết quả.",
                 "applicant_types": ["citizen"]},
        children={"components": [{"order": 1, "name": "Đơn đề nghị", "count": 1}]},
    )  # fmt: skip
    with pytest.raises(ProcedureError) as refused:
        version_transition_in_task(actor=user("chuyenvien.yte"), version=draft, action="submit")
    assert "không bằng thời hạn giải quyết" in " ".join(refused.value.errors)

    steps = [
        {"order": s.order, "name": s.name, "actor_role": s.actor_role, "budget": s.budget,
         "budget_unit": s.budget_unit, "counted": s.counted}
        for s in draft.steps.all()
    ]  # fmt: skip
    steps[2]["budget"] = Decimal(5)  # specialist step 7 → 5 days: total 8
    draft = version_update(actor=user("chuyenvien.yte"), version=draft, children={"steps": steps})
    version_transition_in_task(actor=user("chuyenvien.yte"), version=draft, action="submit")

    with pytest.raises(PermissionDenied):  # a specialist cannot approve
        version_transition_in_task(actor=user("chuyenvien.yte"), version=draft, action="approve")
    with pytest.raises(PermissionDenied):  # another department's head cannot either
        version_transition_in_task(actor=user("lanhdao.tuphap"), version=draft, action="approve")
    version_transition_in_task(actor=user("lanhdao.yte"), version=draft, action="approve")
    task.refresh_from_db()
    assert task.status == TaskStatus.APPROVED and task.workflow_done_on is not None

    task_chairman_decision_record(
        actor=user("vanphong"),
        task=task,
        number="1973/QĐ-UBND",
        decision_date=date(2025, 11, 28),
        effective_date=date(2025, 12, 5),
        today=date(2025, 11, 28),
    )
    draft.refresh_from_db()
    procedure.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.valid_from == date(2025, 12, 5)
    # Not yet in force: the catalogue still shows the old version…
    assert procedure.current_version_id == published.pk
    published.refresh_from_db()
    assert published.valid_to == date(2025, 12, 5)
    # …until the activation job runs on the effective date.
    assert versions_activate(today=date(2025, 12, 5))["activated"] == 1
    procedure.refresh_from_db()
    published.refresh_from_db()
    assert procedure.current_version_id == draft.pk
    assert published.status == VersionStatus.RETIRED
    assert versions_activate(today=date(2025, 12, 5)) == {"activated": 0, "retired": 0, "locked": 0}
    task.refresh_from_db()
    assert task.status == TaskStatus.PUBLISHED
    assert task.posting_due == date(2025, 12, 5)


def test_published_version_is_immutable(province):
    version = Procedure.objects.get(code="1.001806").current_version
    with pytest.raises(ProcedureError, match="dự thảo"):
        version_update(actor=user("chuyenvien.yte"), version=version, content={"name": "Khác"})
    version.name = "Khác"
    with pytest.raises(ValueError, match="immutable"):
        version.save()
    assert ProcedureVersion.objects.get(pk=version.pk).name != "Khác"


def test_return_needs_a_reason_and_goes_back_to_draft(province):
    _task, draft = _draft(province, complete=True)
    version_transition_in_task(actor=user("chuyenvien.yte"), version=draft, action="submit")
    with pytest.raises(ProcedureError, match="lý do"):
        version_transition_in_task(actor=user("lanhdao.yte"), version=draft, action="return")
    version_transition_in_task(
        actor=user("lanhdao.yte"), version=draft, action="return", note="Bổ sung căn cứ pháp lý"
    )
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT and draft.review_note == "Bổ sung căn cứ pháp lý"
    assert OutboxMessage.objects.filter(subject__startswith="Dự thảo thủ tục bị trả lại").exists()


def test_incomplete_version_cannot_be_submitted(province):
    _task, draft = _draft(province)
    with pytest.raises(ProcedureError) as refused:
        version_transition_in_task(actor=user("chuyenvien.yte"), version=draft, action="submit")
    assert "thành phần, số lượng hồ sơ" in refused.value.errors[0]
    assert "đối tượng thực hiện" in refused.value.errors[0]


def test_decision_before_approval_is_refused(province):
    task, _draft_version = _draft(province)
    with pytest.raises(ProcedureError, match="chưa phê duyệt"):
        task_chairman_decision_record(
            actor=user("vanphong"), task=task, number="1/QĐ-UBND",
            decision_date=date(2025, 11, 28), effective_date=date(2025, 11, 28),
        )  # fmt: skip


def test_abolished_procedure_is_locked_on_its_effective_date(province):
    task = record(province, change_type=ChangeType.ABOLISHED).tasks.get()
    assert task.status == TaskStatus.OPEN
    from procedures.services.publication import task_refresh_status

    task = task_refresh_status(task)
    assert task.status == TaskStatus.APPROVED
    task_chairman_decision_record(
        actor=user("vanphong"), task=task, number="2/QĐ-UBND",
        decision_date=date(2025, 11, 28), effective_date=date(2025, 12, 10),
        today=date(2025, 11, 28),
    )  # fmt: skip
    procedure = Procedure.objects.get(code="1.001806")
    assert not procedure.reception_locked and procedure.current_version_id
    assert versions_activate(today=date(2025, 12, 10))["locked"] == 1
    procedure.refresh_from_db()
    assert procedure.reception_locked and procedure.current_version_id is None


def test_sweep_flags_overdue_once(province):
    task = record(province).tasks.get()
    assert publication_tasks_sweep(today=date(2025, 11, 20)) == {"due_soon": 0, "overdue": 0}
    assert publication_tasks_sweep(today=date(2025, 11, 24)) == {"due_soon": 1, "overdue": 0}
    first = publication_tasks_sweep(today=date(2025, 12, 1))
    again = publication_tasks_sweep(today=date(2025, 12, 1))
    assert first == {"due_soon": 0, "overdue": 1}
    assert again == {"due_soon": 0, "overdue": 0}
    task.refresh_from_db()
    assert task.alert_level == "overdue"
    overdue_mail = OutboxMessage.objects.filter(subject__startswith="QUÁ HẠN")
    # Department head and provincial staff, once each.
    assert sorted(overdue_mail.values_list("recipient", flat=True)) == [
        "lanhdao.yte@demo.tthc.local",
        "vanphong@demo.tthc.local",
    ]


def test_other_departments_cannot_draft(province):
    task = record(province).tasks.get()
    with pytest.raises(PermissionDenied):
        item_start_draft(actor=user("chuyenvien.tuphap"), item=task.items.get())
    assert not PublicationTask.objects.filter(status=TaskStatus.DRAFTING).exists()
    assert Agency.objects.get(code=HEALTH).memberships.filter(role=Role.SPECIALIST).exists()
