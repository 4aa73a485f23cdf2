"""The disposal list's lifecycle as data.

Every change goes through ``services.review.disposal_transition``, which looks
the action up here, locks the row, checks the table and the actor's permission,
appends a ``DisposalHistory`` row and an audit event in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import ListStatus as S


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    label: str
    # Model permission the actor needs ("" = the system's destruction task only).
    perm: str


def _t(sources, target, label, perm) -> Transition:
    return Transition(frozenset(sources), target, label, perm)


REVIEW = "records.review_disposallist"
APPROVE = "records.approve_disposallist"

TRANSITIONS: dict[str, Transition] = {
    # The records officer submits the reviewed list with the council's opinion.
    "review": _t({S.PROPOSED}, S.REVIEWED, _("Trình phê duyệt"), REVIEW),
    # The head of the archive unit sends it back, approves or drops it.
    "send_back": _t({S.REVIEWED}, S.PROPOSED, _("Trả lại để rà soát"), APPROVE),
    "approve": _t({S.REVIEWED}, S.APPROVED, _("Phê duyệt hủy"), APPROVE),
    "cancel": _t({S.PROPOSED, S.REVIEWED}, S.CANCELLED, _("Hủy bỏ đề xuất"), APPROVE),
    # Only the destruction task, after approval.
    "destroy": _t({S.APPROVED}, S.DESTROYED, _("Hủy tài liệu"), ""),
}

# Lists whose items count as "already proposed" for the monthly job.
ACTIVE_STATUSES = (S.PROPOSED, S.REVIEWED, S.APPROVED)
# Items may be taken off only while the records officer reviews.
EDITABLE_STATUSES = (S.PROPOSED,)


def actions_for(status: str, perms: set[str]) -> list[str]:
    return [
        name
        for name, t in TRANSITIONS.items()
        if status in t.sources and t.perm and t.perm in perms
    ]
