"""The two-role review: the records officer reviews, the archive unit's head approves."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.audit.services import audit_record

from ..models import DisposalHistory, DisposalItem, DisposalList, ListStatus
from ..selectors import disposal_lists_for_user
from ..workflow import EDITABLE_STATUSES, TRANSITIONS
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
    """Review, send back, approve or cancel a list (never "destroy": the task does)."""
    transition = TRANSITIONS.get(action)
    if transition is None or not transition.perm:
        raise RecordsError(_("Thao tác không hợp lệ."))
    papers: list[str] = []
    with transaction.atomic():
        locked = _locked_in_scope(actor, disposal_list.pk)
        _require(actor, transition.perm)
        if locked.status not in transition.sources:
            raise RecordsError(_("Danh mục không ở trạng thái cho phép thao tác này."))
        now = timezone.now()
        fields = ["status"]
        if action == "review":
            if not locked.items.filter(removed=False).exists():
                raise RecordsError(_("Danh mục không còn hồ sơ nào; hãy hủy bỏ đề xuất."))
            if not council_minutes.strip():
                raise RecordsError(_("Cần ghi ý kiến của Hội đồng xác định giá trị tài liệu."))
            locked.council_minutes = council_minutes.strip()
            locked.reviewed_by, locked.reviewed_at = actor, now
            fields += ["council_minutes", "reviewed_by", "reviewed_at"]
            papers = ["list", "minutes"]
        elif action == "approve":
            # Two people: whoever reviewed the list cannot also approve it.
            if locked.reviewed_by_id == actor.pk:
                raise RecordsError(_("Người rà soát danh mục không được tự phê duyệt."))
            if not decision_number.strip():
                raise RecordsError(_("Cần ghi số quyết định hủy."))
            locked.decision_number = decision_number.strip()
            locked.approved_by, locked.approved_at = actor, now
            fields += ["decision_number", "approved_by", "approved_at"]
            papers = ["decision"]
        elif action in ("send_back", "cancel") and not note.strip():
            raise RecordsError(_("Cần ghi lý do."))
        before = locked.status
        locked.status = transition.target
        locked.save(update_fields=fields)
        DisposalHistory.objects.create(
            disposal_list=locked,
            action=action,
            from_status=before,
            to_status=locked.status,
            actor=actor,
            at=now,
            note=note.strip(),
        )
        audit_record(
            actor=actor,
            action=f"records.list_{action}",
            target=locked,
            before={"status": before},
            after={"status": locked.status, "note": note.strip()},
        )
        if papers:
            from .papers import papers_render

            # Rendered in the transaction: a list is never approved without its decision.
            papers_render(locked, papers)
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
        _require(actor, TRANSITIONS["review"].perm)
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
