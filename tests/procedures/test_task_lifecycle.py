"""Publication tasks have a lifecycle table; every status change goes through
``task_transition`` / ``task_apply``, which check the table and write an audit
event per change (issue #16 item 1)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from portal_site.demo import seed_accounts, seed_agencies, seed_procedures
from procedures.models import ChangeType, TaskStatus
from procedures.services import ProcedureError
from procedures.services.publication import (
    ItemInput,
    ministry_decision_record,
    task_chairman_decision_record,
    task_refresh_status,
)
from procedures.services.publication_tasks import task_transition
from procedures.workflow import TASK_ACTION_TO, TASK_LIFECYCLE
from tthc_portal.audit.models import AuditEvent

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


def _abolition_task(province):
    decision = ministry_decision_record(
        actor=user("vanphong"),
        number="9/QĐ-BYT",
        decision_date=date(2025, 11, 19),
        issuing_body="Bộ Y tế",
        legal_basis_effective_date=date(2025, 12, 1),
        summary="Bãi bỏ thủ tục",
        items=[
            ItemInput(
                change_type=ChangeType.ABOLISHED,
                responsible_agency=province[HEALTH],
                procedure_code="1.001806",
                procedure_name="",
            )
        ],
    )
    return decision.tasks.get()


def test_the_table_reaches_every_task_status():
    targets = {t.target for t in TASK_LIFECYCLE.table.values()}
    assert targets | {TaskStatus.OPEN} == set(TaskStatus.values)
    assert set(TASK_ACTION_TO) == set(TaskStatus.values) - {TaskStatus.PUBLISHED}
    # Nothing leaves "published": it is no source of any action.
    assert TASK_LIFECYCLE.actions_from(TaskStatus.PUBLISHED) == []


def test_each_status_change_is_checked_and_audited(province):
    task = _abolition_task(province)
    task = task_refresh_status(task)
    assert task.status == TaskStatus.APPROVED and task.workflow_done_on is not None
    derived = AuditEvent.objects.get(action="publication_task.approve")
    assert (derived.before["status"], derived.after["status"]) == ("open", "approved")
    # Refreshing again changes nothing and records nothing.
    task_refresh_status(task)
    assert AuditEvent.objects.filter(action__startswith="publication_task.").count() == 1

    with pytest.raises(PermissionDenied):
        task_chairman_decision_record(
            actor=user("chuyenvien.yte"), task=task, number="2/QĐ-UBND",
            decision_date=date(2025, 11, 28), effective_date=date(2025, 12, 10),
            today=date(2025, 11, 28),
        )  # fmt: skip
    task = task_chairman_decision_record(
        actor=user("vanphong"), task=task, number="2/QĐ-UBND",
        decision_date=date(2025, 11, 28), effective_date=date(2025, 12, 10),
        today=date(2025, 11, 28),
    )  # fmt: skip
    task.refresh_from_db()
    assert task.status == TaskStatus.PUBLISHED and task.posted_on == date(2025, 11, 28)
    decided = AuditEvent.objects.get(action="publication_task.decide")
    assert decided.after["status"] == "published" and decided.after["number"] == "2/QĐ-UBND"

    # A published task leaves the derivation: no action of the table applies.
    with pytest.raises(ProcedureError, match="đã được ghi nhận"):
        task_transition(actor=None, task=task, action="reopen")
    assert task_refresh_status(task).status == TaskStatus.PUBLISHED
