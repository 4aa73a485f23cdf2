"""Lifecycles of the publication control, as kernel data (tthc_portal.lifecycle).

Every change of ``ProcedureVersion.status`` goes through
``services.versions.version_transition``, and every change of
``PublicationTask.status`` through ``services.publication.task_transition``;
both run their lifecycle here. Actors of a version are guardian permissions
on the version's owning agency ("system": beat jobs, no user).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tthc_portal.lifecycle import Guard, Lifecycle, Transition

from .models import ProcedureVersion, PublicationTask
from .models import TaskStatus as TS
from .models import VersionStatus as S
from .services import ProcedureError
from .services.validation import submission_errors


@dataclass(frozen=True)
class VersionChange:
    """What ``version_transition`` hands the effects: the actor and the inputs."""

    actor: Any
    now: datetime
    note: str = ""
    decision_number: str = ""
    decision_date: date | None = None
    effective_date: date | None = None


_t = Transition.row


# --- effects: each changes the locked version and names the fields it changed -------


def _stamp_submitted(version: ProcedureVersion, change: VersionChange) -> list[str]:
    version.submitted_at = change.now
    return ["submitted_at"]


def _record_approval(version: ProcedureVersion, change: VersionChange) -> list[str]:
    version.approved_by, version.approved_at = change.actor, change.now
    version.review_note = change.note
    return ["approved_by", "approved_at", "review_note"]


def _record_return_note(version: ProcedureVersion, change: VersionChange) -> list[str]:
    # The author must know what to fix: a return without a reason is refused.
    if not change.note.strip():
        raise ProcedureError(_("Vui lòng ghi rõ lý do trả lại."))
    version.review_note = change.note
    return ["review_note"]


def _record_publication(version: ProcedureVersion, change: VersionChange) -> list[str]:
    decision_date, effective_date = change.decision_date, change.effective_date
    if not change.decision_number or decision_date is None or effective_date is None:
        raise ProcedureError(_("Cần số, ngày quyết định công bố và ngày có hiệu lực."))
    if effective_date < decision_date:
        raise ProcedureError(_("Ngày có hiệu lực không được trước ngày quyết định."))
    clash = ProcedureVersion.objects.filter(
        procedure_id=version.procedure_id,
        status=S.PUBLISHED,
        valid_from__gte=effective_date,
    ).exclude(pk=version.pk)
    if clash.exists():
        raise ProcedureError(
            _(
                "Đã có phiên bản được công bố có hiệu lực từ ngày này hoặc muộn hơn; "
                "hai phiên bản không được cùng hiệu lực."
            )
        )
    version.decision_number = change.decision_number
    version.decision_date = decision_date
    version.valid_from = effective_date
    version.published_at = change.now
    return ["valid_from", "decision_number", "decision_date", "published_at"]


def _close_previous(version: ProcedureVersion, change: VersionChange) -> list[str]:
    """Publishing closes the validity of the version it succeeds (same transaction)."""
    previous = ProcedureVersion.objects.filter(
        procedure_id=version.procedure_id, status=S.PUBLISHED
    ).exclude(pk=version.pk)
    for old in previous:
        if old.valid_to is None or old.valid_to > version.valid_from:
            old.valid_to = version.valid_from
            old.save(update_fields=["valid_to", "updated_at"])
    return []


def _stamp_retired(version: ProcedureVersion, change: VersionChange) -> list[str]:
    version.retired_at = change.now
    return ["retired_at"]


VERSION_LIFECYCLE: Lifecycle[ProcedureVersion, VersionChange] = Lifecycle(
    name="procedure_version",
    table={
        "submit": _t(
            {S.DRAFT},
            S.SUBMITTED,
            {"draft_procedures"},
            gettext_lazy("Trình lãnh đạo"),
            guards=["complete"],
            effects=["stamp_submitted"],
            notify={"heads": "submitted"},
        ),
        "return": _t(
            {S.SUBMITTED, S.APPROVED},
            S.DRAFT,
            {"approve_procedures"},
            gettext_lazy("Trả lại để sửa"),
            effects=["record_return_note"],
            notify={"author": "returned"},
        ),
        "approve": _t(
            {S.SUBMITTED},
            S.APPROVED,
            {"approve_procedures"},
            gettext_lazy("Phê duyệt"),
            guards=["complete"],
            effects=["record_approval"],
            notify={"provincial_staff": "approved"},
        ),
        "publish": _t(
            {S.APPROVED},
            S.PUBLISHED,
            {"control_publication"},
            gettext_lazy("Ghi nhận quyết định công bố"),
            effects=["record_publication", "close_previous"],
        ),
        "retire": _t(
            {S.PUBLISHED},
            S.RETIRED,
            {"system"},
            gettext_lazy("Hết hiệu lực"),
            effects=["stamp_retired"],
        ),
    },
    guards={
        "complete": Guard(
            holds=lambda version: not submission_errors(version),
            reason=gettext_lazy("Phiên bản chưa đủ điều kiện để trình."),
            details=submission_errors,
        ),
    },
    effects={
        "stamp_submitted": _stamp_submitted,
        "record_approval": _record_approval,
        "record_return_note": _record_return_note,
        "record_publication": _record_publication,
        "close_previous": _close_previous,
        "stamp_retired": _stamp_retired,
    },
)

# Guardian permissions the version table names (the capabilities a user can hold).
VERSION_PERMISSIONS = ("draft_procedures", "approve_procedures", "control_publication")


def allowed_actions(status: str) -> list[str]:
    """The actions whose sources include this status (permissions and guards aside)."""
    return VERSION_LIFECYCLE.actions_from(status)


# --- publication tasks -------------------------------------------------------------------


@dataclass(frozen=True)
class TaskChange:
    """What ``task_transition`` hands the effects."""

    actor: Any
    today: date
    # Field values the action records (the chairman's decision and its deadlines).
    values: dict[str, Any] = field(default_factory=dict)


def _stamp_workflow_done(task: PublicationTask, change: TaskChange) -> list[str]:
    # The head's approval of the last version is the date the internal
    # workflow was approved (the WORKFLOW deadline); the first one counts.
    if task.workflow_done_on is not None:
        return []
    task.workflow_done_on = change.today
    return ["workflow_done_on"]


def _record_decision(task: PublicationTask, change: TaskChange) -> list[str]:
    for name, value in change.values.items():
        setattr(task, name, value)
    # The sweep's alert is about an open task; a published task has none.
    task.alert_level = "none"
    return [*change.values, "alert_level"]


_OPEN = {TS.OPEN, TS.DRAFTING, TS.AWAITING_APPROVAL, TS.APPROVED}

# A task's status follows its items' versions (``services.publication.task_progress``)
# until the chairman's decision is recorded; "system" is that derivation.
TASK_LIFECYCLE: Lifecycle[PublicationTask, TaskChange] = Lifecycle(
    name="publication_task",
    table={
        "reopen": _t(_OPEN - {TS.OPEN}, TS.OPEN, {"system"}, gettext_lazy("Chờ đơn vị dự thảo")),
        "start_drafting": _t(
            _OPEN - {TS.DRAFTING}, TS.DRAFTING, {"system"}, gettext_lazy("Đang dự thảo")
        ),
        "await_approval": _t(
            _OPEN - {TS.AWAITING_APPROVAL},
            TS.AWAITING_APPROVAL,
            {"system"},
            gettext_lazy("Trình lãnh đạo phê duyệt"),
        ),
        "approve": _t(
            _OPEN,
            TS.APPROVED,
            {"system"},
            gettext_lazy("Lãnh đạo đã phê duyệt quy trình"),
            effects=["stamp_workflow_done"],
        ),
        "decide": _t(
            {TS.APPROVED},
            TS.PUBLISHED,
            {"control_publication"},
            gettext_lazy("Ghi nhận quyết định công bố"),
            effects=["record_decision"],
        ),
    },
    effects={
        "stamp_workflow_done": _stamp_workflow_done,
        "record_decision": _record_decision,
    },
)

# The action that brings a task to each status its items can derive.
TASK_ACTION_TO: dict[str, str] = {
    TS.OPEN: "reopen",
    TS.DRAFTING: "start_drafting",
    TS.AWAITING_APPROVAL: "await_approval",
    TS.APPROVED: "approve",
}
