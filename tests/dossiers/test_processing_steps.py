"""The internal workflow: handovers, assignment, send back, consultation, and
each step's early / on time / late against its stored due time (§5, §8)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from dossiers.models import DossierStep, Status, StatusHistory, StepKind, Timeliness
from dossiers.services import DossierError
from dossiers.services.processing import (
    consult_answer,
    step_assign,
    step_complete,
    step_consult,
    step_send_back,
)
from tests.dossiers.conftest import HEALTH
from tests.dossiers.processing import at, in_processing

pytestmark = pytest.mark.django_db


def test_receipt_opens_the_desk_step_and_transfer_hands_over(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    steps = list(dossier.steps.order_by("started_at", "pk"))
    assert [s.order for s in steps] == [1, 2]
    desk, head = steps
    # Half a working day (4 h) from 09:00: 3 h before lunch, 1 h after → 14:00.
    assert desk.due_at == at(2025, 3, 3, 14, 0)
    assert desk.completed_at == at(2025, 3, 3, 9, 0)
    assert desk.timeliness == Timeliness.EARLY or desk.timeliness == Timeliness.ON_TIME
    assert head.handed_over_by == users["motcua.tuphap"] and head.assignee is None
    assert dossier.status == Status.IN_PROCESSING and dossier.current_step == head
    assert head.due_at == at(2025, 3, 3, 14, 0)


def test_early_on_time_and_late_per_step(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    head_step = dossier.current_step
    # On time: on the due day, before the due instant (12:30 ≤ 14:00).
    clock.set(2025, 3, 3, 12, 30)
    specialist_step = step_complete(
        actor=users["lanhdao.tuphap"], step=head_step, assignee=users["chuyenvien.tuphap"]
    )
    head_step.refresh_from_db()
    assert head_step.timeliness == Timeliness.ON_TIME
    assert specialist_step.assignee == users["chuyenvien.tuphap"]
    # 16 working hours from 12:30 Mon (lunch until 13:00) → Wed 12:00; finished Tue → early.
    assert specialist_step.due_at == at(2025, 3, 5, 12, 0)
    clock.set(2025, 3, 4, 16, 0)
    approval = step_complete(actor=users["chuyenvien.tuphap"], step=specialist_step)
    specialist_step.refresh_from_db()
    assert specialist_step.timeliness == Timeliness.EARLY
    # Late: the head holds the approval step (due Wed 16:00) until Thursday.
    clock.set(2025, 3, 6, 8, 30)
    step_send_back(actor=users["lanhdao.tuphap"], step=approval, to_order=3, note="Bổ sung căn cứ")
    approval.refresh_from_db()
    assert approval.timeliness == Timeliness.LATE and approval.outcome == "sent_back"


def test_only_the_holder_acts_and_finished_steps_stay_finished(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    head_step = dossier.current_step
    with pytest.raises(PermissionDenied):
        step_complete(actor=users["chuyenvien.tuphap"], step=head_step)
    nxt = step_complete(actor=users["lanhdao.tuphap"], step=head_step)
    with pytest.raises(DossierError):
        step_complete(actor=users["lanhdao.tuphap"], step=head_step)
    # The specialist step is unassigned: it waits for the head's assignment.
    assert nxt.assignee is None
    with pytest.raises(PermissionDenied):
        step_assign(actor=users["chuyenvien.tuphap"], step=nxt, assignee=users["chuyenvien.tuphap"])
    step_assign(actor=users["lanhdao.tuphap"], step=nxt, assignee=users["chuyenvien.tuphap"])
    nxt.refresh_from_db()
    assert nxt.assignee == users["chuyenvien.tuphap"] and nxt.assigned_by == users["lanhdao.tuphap"]
    dossier.refresh_from_db()
    assert dossier.assigned_specialist == users["chuyenvien.tuphap"]
    # The assignee must be able to process at the step's unit.
    with pytest.raises(DossierError):
        step_assign(actor=users["lanhdao.tuphap"], step=nxt, assignee=users["motcua.tuphap"])
    actions = list(StatusHistory.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert actions[-3:] == ["transfer", "complete_step", "assign"]


def test_the_approval_step_is_not_completed_but_approved(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    step = step_complete(
        actor=users["lanhdao.tuphap"], step=dossier.current_step,
        assignee=users["chuyenvien.tuphap"],
    )  # fmt: skip
    approval = step_complete(actor=users["chuyenvien.tuphap"], step=step)
    with pytest.raises(DossierError, match="phê duyệt"):
        step_complete(actor=users["lanhdao.tuphap"], step=approval)


def test_send_back_returns_to_the_earlier_holder(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    step = step_complete(
        actor=users["lanhdao.tuphap"], step=dossier.current_step,
        assignee=users["chuyenvien.tuphap"],
    )  # fmt: skip
    approval = step_complete(actor=users["chuyenvien.tuphap"], step=step)
    with pytest.raises(DossierError):
        step_send_back(actor=users["lanhdao.tuphap"], step=approval, to_order=3, note=" ")
    with pytest.raises(DossierError):
        step_send_back(actor=users["lanhdao.tuphap"], step=approval, to_order=5, note="Sai")
    back = step_send_back(
        actor=users["lanhdao.tuphap"], step=approval, to_order=3, note="Thiếu căn cứ pháp lý"
    )
    assert back.order == 3 and back.assignee == users["chuyenvien.tuphap"]
    assert back.handed_over_by == users["lanhdao.tuphap"]


def test_consultation_is_answered_by_the_other_agency(users, workflow_procedure, clock, province):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    step = step_complete(
        actor=users["lanhdao.tuphap"], step=dossier.current_step,
        assignee=users["chuyenvien.tuphap"],
    )  # fmt: skip
    consult = step_consult(
        actor=users["chuyenvien.tuphap"], step=step, agency=province[HEALTH],
        question="Đề nghị cho ý kiến về điều kiện chuyên môn.",
    )  # fmt: skip
    assert consult.kind == StepKind.CONSULT and consult.agency == province[HEALTH]
    assert consult.due_at == at(2025, 3, 6, 9, 0)  # 3 working days (configurable)
    # Not while the other agency has not answered.
    with pytest.raises(DossierError, match="phối hợp"):
        step_complete(actor=users["chuyenvien.tuphap"], step=step)
    # The asking agency cannot answer for the consulted one.
    with pytest.raises(PermissionDenied):
        consult_answer(actor=users["chuyenvien.tuphap"], step=consult, answer="Đồng ý")
    clock.set(2025, 3, 4, 10, 0)
    consult_answer(actor=users["chuyenvien.yte"], step=consult, answer="Đủ điều kiện chuyên môn.")
    consult.refresh_from_db()
    assert consult.outcome == "answered" and consult.timeliness == Timeliness.EARLY
    assert consult.assignee == users["chuyenvien.yte"]
    step_complete(actor=users["chuyenvien.tuphap"], step=step)
    assert DossierStep.objects.filter(dossier=dossier, completed_at__isnull=True).count() == 1
