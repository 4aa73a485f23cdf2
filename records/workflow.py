"""The disposal list's lifecycle as data, on the kernel engine (tthc_portal.lifecycle).

Every change goes through ``services.review.disposal_transition``, which locks
the row, runs ``DISPOSAL_LIFECYCLE`` (the table, the actor's permission, its
guard and named effects), appends a ``DisposalHistory`` row and an audit event
in one transaction. ``actors`` are model permissions the actor must hold;
``system`` is the destruction task alone (no user).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from tthc_portal.lifecycle import Guard, Lifecycle, Transition

from .models import DisposalList
from .models import ListStatus as S

REVIEW = "records.review_disposallist"
APPROVE = "records.approve_disposallist"
SYSTEM = "system"


@dataclass(frozen=True)
class DisposalChange:
    """What ``disposal_transition`` hands the effects: who acts, when, and the inputs."""

    actor: Any
    now: datetime
    note: str = ""
    council_minutes: str = ""
    decision_number: str = ""


def _refuse(message: Any) -> None:
    # Imported here: records.services imports this module while it loads.
    from .services import RecordsError

    raise RecordsError(str(message))


# --- effects: each changes the locked list and names the fields it changed -----------


def _record_review(disposal_list: DisposalList, change: DisposalChange) -> list[str]:
    if not change.council_minutes.strip():
        _refuse(_("Cần ghi ý kiến của Hội đồng xác định giá trị tài liệu."))
    disposal_list.council_minutes = change.council_minutes.strip()
    disposal_list.reviewed_by, disposal_list.reviewed_at = change.actor, change.now
    return ["council_minutes", "reviewed_by", "reviewed_at"]


def _record_approval(disposal_list: DisposalList, change: DisposalChange) -> list[str]:
    # Two people: whoever reviewed the list cannot also approve it.
    if disposal_list.reviewed_by_id == change.actor.pk:
        _refuse(_("Người rà soát danh mục không được tự phê duyệt."))
    if not change.decision_number.strip():
        _refuse(_("Cần ghi số quyết định hủy."))
    disposal_list.decision_number = change.decision_number.strip()
    disposal_list.approved_by, disposal_list.approved_at = change.actor, change.now
    return ["decision_number", "approved_by", "approved_at"]


def _require_reason(disposal_list: DisposalList, change: DisposalChange) -> list[str]:
    # Sending back or dropping a list is explained in its history.
    if not change.note.strip():
        _refuse(_("Cần ghi lý do."))
    return []


def _stamp_destroyed(disposal_list: DisposalList, change: DisposalChange) -> list[str]:
    disposal_list.destroyed_at = change.now
    return ["destroyed_at"]


_t = Transition.row


TRANSITIONS: dict[str, Transition] = {
    # The records officer submits the reviewed list with the council's opinion.
    "review": _t(
        {S.PROPOSED},
        S.REVIEWED,
        {REVIEW},
        _("Trình phê duyệt"),
        guards=["has_items"],
        effects=["record_review"],
    ),
    # The head of the archive unit sends it back, approves or drops it.
    "send_back": _t(
        {S.REVIEWED}, S.PROPOSED, {APPROVE}, _("Trả lại để rà soát"), effects=["require_reason"]
    ),
    "approve": _t(
        {S.REVIEWED}, S.APPROVED, {APPROVE}, _("Phê duyệt hủy"), effects=["record_approval"]
    ),
    "cancel": _t(
        {S.PROPOSED, S.REVIEWED},
        S.CANCELLED,
        {APPROVE},
        _("Hủy bỏ đề xuất"),
        effects=["require_reason"],
    ),
    # Only the destruction task, after approval.
    "destroy": _t(
        {S.APPROVED}, S.DESTROYED, {SYSTEM}, _("Hủy tài liệu"), effects=["stamp_destroyed"]
    ),
}

DISPOSAL_LIFECYCLE: Lifecycle[DisposalList, DisposalChange] = Lifecycle(
    name="records.disposal_list",
    table=TRANSITIONS,
    guards={
        # Every item taken off: there is nothing left to approve, only to drop.
        "has_items": Guard(
            holds=lambda disposal_list: disposal_list.items.filter(removed=False).exists(),
            reason=_("Danh mục không còn hồ sơ nào; hãy hủy bỏ đề xuất."),
        ),
    },
    effects={
        "record_review": _record_review,
        "record_approval": _record_approval,
        "require_reason": _require_reason,
        "stamp_destroyed": _stamp_destroyed,
    },
)

# The papers each action renders, in the transaction that records it.
PAPERS: dict[str, tuple[str, ...]] = {"review": ("list", "minutes"), "approve": ("decision",)}

# Lists whose items count as "already proposed" for the monthly job.
ACTIVE_STATUSES = (S.PROPOSED, S.REVIEWED, S.APPROVED)
# Items may be taken off only while the records officer reviews.
EDITABLE_STATUSES = (S.PROPOSED,)


def user_action(action: str) -> bool:
    """Whether a person may ever choose the action (not the system's alone)."""
    transition = DISPOSAL_LIFECYCLE.get(action)
    return transition is not None and bool(transition.actors - {SYSTEM})


def actions_for(disposal_list: DisposalList, perms: Iterable[str]) -> list[str]:
    """The actions the table allows on this list now to someone holding ``perms``."""
    return DISPOSAL_LIFECYCLE.allowed(disposal_list, set(perms) - {SYSTEM})
