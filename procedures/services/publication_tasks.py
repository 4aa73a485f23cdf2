"""The one way a publication task changes status (``workflow.TASK_LIFECYCLE``).

A task's status follows its items' versions until the chairman's decision is
recorded: ``task_refresh_status`` derives it ("system" in the table) and
``task_chairman_decision_record`` (in ``publication``) performs "decide"; both
go through ``task_transition`` / ``task_apply`` here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.audit.services import audit_record
from tthc_portal.lifecycle import ActorRefused, StatusRefused

from ..models import ChangeType, PublicationTask, TaskStatus, VersionStatus
from ..workflow import TASK_ACTION_TO, TASK_LIFECYCLE, TaskChange
from . import ProcedureError


def task_lock(task: PublicationTask | int) -> PublicationTask:
    pk = task.pk if isinstance(task, PublicationTask) else task
    return PublicationTask.objects.select_for_update().get(pk=pk)


def task_capabilities(actor, task: PublicationTask, wanted) -> set[str]:
    """The table's capabilities the actor holds on the task's agency ("system": no user)."""
    if actor is None:
        return {"system"}
    return {
        perm
        for perm in wanted
        if perm != "system" and actor.has_perm(f"agencies.{perm}", task.agency)
    }


def task_check(actor, task: PublicationTask, action: str) -> None:
    """Refuse, with the user's message, an action the table does not allow now."""
    transition = TASK_LIFECYCLE.transition(action)
    try:
        TASK_LIFECYCLE.check(action, task, task_capabilities(actor, task, tuple(transition.actors)))
    except ActorRefused:
        raise PermissionDenied(next(iter(transition.actors))) from None
    except StatusRefused:
        if task.status == TaskStatus.PUBLISHED:
            raise ProcedureError(_("Nhiệm vụ này đã được ghi nhận quyết định công bố.")) from None
        raise ProcedureError(
            _("Chưa thể ghi nhận quyết định: lãnh đạo đơn vị chưa phê duyệt đủ các thủ tục.")
        ) from None


def task_apply(
    *,
    actor,
    task: PublicationTask,
    action: str,
    values: dict[str, Any] | None = None,
    today: date | None = None,
    audit: dict[str, Any] | None = None,
) -> PublicationTask:
    """Apply one action to a task the caller has locked: check, effects, save, audit."""
    task_check(actor, task, action)
    change = TaskChange(actor=actor, today=today or timezone.localdate(), values=values or {})
    outcome = TASK_LIFECYCLE.run(action, task, change)
    if outcome.fields:
        task.save(update_fields=[*outcome.fields, "updated_at"])
    audit_record(
        actor=actor,
        action=f"publication_task.{action}",
        target=task,
        before={"status": outcome.before},
        after={"status": outcome.after, **(audit or {})},
    )
    return task


@transaction.atomic
def task_transition(
    *,
    actor,
    task: PublicationTask | int,
    action: str,
    values: dict[str, Any] | None = None,
    today: date | None = None,
) -> PublicationTask:
    """Lock the task and apply one action of its table."""
    return task_apply(actor=actor, task=task_lock(task), action=action, values=values, today=today)


def task_progress(task: PublicationTask) -> str:
    """The status a task's items' versions give it (before the chairman's decision)."""
    items = list(task.items.select_related("version"))
    drafts = [i.version for i in items if i.change_type != ChangeType.ABOLISHED]
    statuses = {v.status for v in drafts if v is not None}
    if any(v is None for v in drafts) and not statuses:
        return TaskStatus.OPEN
    if drafts and all(v is not None and v.status == VersionStatus.APPROVED for v in drafts):
        return TaskStatus.APPROVED
    if not drafts:
        return TaskStatus.APPROVED  # only abolitions: straight to the chairman
    if any(v is None for v in drafts) or VersionStatus.DRAFT in statuses:
        return TaskStatus.DRAFTING
    return TaskStatus.AWAITING_APPROVAL


@transaction.atomic
def task_refresh_status(task: PublicationTask) -> PublicationTask:
    """Derive the task's status from its items' versions; record workflow approval."""
    task = task_lock(task)
    if task.status == TaskStatus.PUBLISHED:
        return task
    status = task_progress(task)
    # "approve" also runs on an approved task whose approval date is not yet
    # recorded (its effect stamps it once).
    pending_stamp = status == TaskStatus.APPROVED and task.workflow_done_on is None
    if status == task.status and not pending_stamp:
        return task
    return task_apply(actor=None, task=task, action=TASK_ACTION_TO[status])
