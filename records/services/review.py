"""The two-role review: the records officer reviews, the archive unit's head approves."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.audit.services import audit_record
from tthc_portal.lifecycle import ActorRefused, GuardFailed, StatusRefused

from ..models import DisposalHistory, DisposalItem, DisposalList, ListStatus
from ..selectors import disposal_lists_for_user
from ..workflow import (
    DISPOSAL_LIFECYCLE,
    EDITABLE_STATUSES,
    PAPERS,
    REVIEW,
    DisposalChange,
    user_action,
)
from . import RecordsError


def _locked_in_scope(actor, list_id: int) -> DisposalList:
    """Outside the actor's scope the list does not exist for them (404)."""
    if not disposal_lists_for_user(actor).filter(pk=list_id).exists():
        raise Http404
    return DisposalList.objects.select_for_update().get(pk=list_id)


def _require(actor, perm: str) -> None:
    if not perm or not actor.has_perm(perm):
        raise RecordsError(_("Bạn không có quyền thực hiện thao tác này."))


def disposal_transition(
    disposal_list: DisposalList,
    action: str,
    *,
    actor,
    note: str = "",
    council_minutes: str = "",
    decision_number: str = "",
) -> DisposalList:
    """Review, send back, approve or cancel a list (never "destroy": the task does).

    Locks the row, runs ``DISPOSAL_LIFECYCLE`` (permission, status, guard, named
    effects), then writes the history, the audit event and the action's papers.
    """
    if not user_action(action):
        raise RecordsError(_("Thao tác không hợp lệ."))
    transition = DISPOSAL_LIFECYCLE[action]
    with transaction.atomic():
        locked = _locked_in_scope(actor, disposal_list.pk)
        now = timezone.now()
        change = DisposalChange(
            actor=actor,
            now=now,
            note=note,
            council_minutes=council_minutes,
            decision_number=decision_number,
        )
        try:
            outcome = DISPOSAL_LIFECYCLE.run(
                action,
                locked,
                change,
                # Only the permissions this action names are asked for.
                capabilities={p for p in transition.actors if actor.has_perm(p)},
            )
        except ActorRefused:
            raise RecordsError(_("Bạn không có quyền thực hiện thao tác này.")) from None
        except StatusRefused:
            raise RecordsError(_("Danh mục không ở trạng thái cho phép thao tác này.")) from None
        except GuardFailed as failure:
            raise RecordsError(failure.reason) from None
        locked.save(update_fields=list(outcome.fields))
        DisposalHistory.objects.create(
            disposal_list=locked,
            action=action,
            from_status=outcome.before,
            to_status=outcome.after,
            actor=actor,
            at=now,
            note=note.strip(),
        )
        audit_record(
            actor=actor,
            action=f"records.list_{action}",
            target=locked,
            before={"status": outcome.before},
            after={"status": outcome.after, "note": note.strip()},
        )
        if action in PAPERS:
            from .papers import papers_render

            # Rendered in the transaction: a list is never approved without its decision.
            papers_render(locked, list(PAPERS[action]))
        if locked.status == ListStatus.APPROVED:
            from ..tasks import disposal_execute_task

            transaction.on_commit(lambda: disposal_execute_task.delay(locked.pk))
    return locked


def disposal_item_remove(item: DisposalItem, *, actor, reason: str) -> DisposalItem:
    """The records officer takes a dossier off the list while reviewing it."""
    if not reason.strip():
        raise RecordsError(_("Cần ghi lý do loại hồ sơ khỏi danh mục."))
    with transaction.atomic():
        locked_list = _locked_in_scope(actor, item.disposal_list_id)
        _require(actor, REVIEW)
        if locked_list.status not in EDITABLE_STATUSES:
            raise RecordsError(_("Chỉ loại hồ sơ khi danh mục đang được rà soát."))
        locked = DisposalItem.objects.select_for_update().get(pk=item.pk)
        if locked.removed:
            return locked
        locked.removed, locked.removed_reason = True, reason.strip()
        locked.removed_by, locked.removed_at = actor, timezone.now()
        locked.save(update_fields=["removed", "removed_reason", "removed_by", "removed_at"])
        audit_record(
            actor=actor,
            action="records.item_removed",
            target=locked_list,
            after={"dossier": locked.dossier_id, "reason": locked.removed_reason},
        )
    return locked
