"""The head's decisions during processing: supplement request (drafted by the
specialist), refusal as not eligible, approval and signature of the result."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    ClockPause,
    DocumentKind,
    Dossier,
    StepKind,
    StepOutcome,
    SupplementRequest,
    SupplementStage,
    SupplementState,
)
from . import DossierError
from .deadlines import dossier_due_set
from .documents import document_issue
from .lifecycle import dossier_transition
from .processing import approval_due_here
from .reception import _clean_items
from .results import (
    result_code_for,
    result_draft,
    result_sign,
    result_to_personal_store,
)
from .steps import (
    open_step,
    split_workflow,
    step_finish,
    step_start,
    steps_close_all,
    steps_pause,
    workflow_of,
)


def supplement_warning(dossier: Dossier) -> str:
    """Shown before a second request: it makes the dossier count as late (§4)."""
    if dossier.supplement_count >= 1:
        return _(
            "Hồ sơ đã được yêu cầu bổ sung %(n)s lần. Yêu cầu bổ sung thêm sẽ làm hồ sơ bị tính là "
            "trễ hạn trong Bộ chỉ số 766 và phải ghi rõ lý do."
        ) % {"n": dossier.supplement_count}
    return ""


@transaction.atomic
def supplement_draft(
    *, actor, dossier: Dossier | int, items: list[dict], note: str = "", justification: str = ""
) -> SupplementRequest:
    """The specialist drafts the one consolidated request (form 02) for the head."""
    cleaned = _clean_items(items)
    holder: dict = {}

    def apply(locked: Dossier):
        step = open_step(locked)
        if step is None:
            raise DossierError(_("Hồ sơ không ở bước xử lý nào."))
        if step.assignee_id and step.assignee_id != actor.pk:
            raise PermissionDenied("not the step's holder")
        if locked.supplement_requests.filter(state=SupplementState.DRAFT).exists():
            raise DossierError(_("Đã có một dự thảo yêu cầu bổ sung đang chờ lãnh đạo duyệt."))
        if locked.supplement_count >= 1 and not justification.strip():
            raise DossierError(supplement_warning(locked))
        holder["request"] = SupplementRequest.objects.create(
            dossier=locked, stage=SupplementStage.DURING_PROCESSING, items=cleaned, note=note,
            justification=justification.strip(), state=SupplementState.DRAFT,
            drafted_by=actor, drafted_at=timezone.now(),
        )  # fmt: skip
        return []

    dossier_transition(actor=actor, dossier=dossier, action="draft_supplement", apply=apply,
                       note=note)  # fmt: skip
    return holder["request"]


@transaction.atomic
def supplement_issue(
    *, actor, request: SupplementRequest | int, acknowledge_late: bool = False
) -> Dossier:
    """The head signs the draft off: form 02 goes out and the clock pauses."""
    request = SupplementRequest.objects.get(
        pk=request.pk if isinstance(request, SupplementRequest) else request
    )
    if request.state != SupplementState.DRAFT:
        raise DossierError(_("Dự thảo này đã được xử lý."))

    def apply(locked: Dossier):
        if locked.supplement_count >= 1 and not acknowledge_late:
            raise DossierError(supplement_warning(locked))
        now = timezone.now()
        ClockPause.objects.create(dossier=locked, started_at=now, reason="supplement")
        SupplementRequest.objects.filter(pk=request.pk).update(
            state=SupplementState.ISSUED, requested_by=actor, requested_at=now
        )
        locked.supplement_count += 1
        # The clock stands still until the citizen answers: no due instant.
        fields = dossier_due_set(locked, None)
        locked.due_soon = locked.is_overdue = False
        steps_pause(locked)
        return ["supplement_count", *fields, "due_soon", "is_overdue"]

    dossier = dossier_transition(
        actor=actor, dossier=request.dossier_id, action="request_supplement", apply=apply,
        note=request.note,
    )  # fmt: skip
    document_issue(dossier, DocumentKind.SUPPLEMENT, source_id=request.pk)
    return dossier


@transaction.atomic
def supplement_discard(*, actor, request: SupplementRequest | int) -> None:
    request = SupplementRequest.objects.get(
        pk=request.pk if isinstance(request, SupplementRequest) else request
    )

    def apply(locked: Dossier):
        if request.state != SupplementState.DRAFT:
            raise DossierError(_("Dự thảo này đã được xử lý."))
        SupplementRequest.objects.filter(pk=request.pk).update(state=SupplementState.CANCELLED)
        return []

    dossier_transition(actor=actor, dossier=request.dossier_id, action="draft_supplement",
                       apply=apply, note=_("Hủy dự thảo yêu cầu bổ sung"))  # fmt: skip


@transaction.atomic
def dossier_reject(*, actor, dossier: Dossier | int, reason: str) -> Dossier:
    """Not eligible: the head signs the written notice with the reasons (§3 row 14)."""
    reason = (reason or "").strip()
    if not reason:
        raise DossierError(_("Phải nêu rõ lý do hồ sơ không đủ điều kiện giải quyết."))

    def apply(locked: Dossier):
        now = timezone.now()
        steps_close_all(locked, at=now, actor=actor, outcome=StepOutcome.REJECTED)
        locked.refusal_reason = reason
        locked.completed_at = now
        locked.due_soon = locked.is_overdue = False
        return ["refusal_reason", "completed_at", "current_step", "due_soon", "is_overdue"]

    dossier = dossier_transition(actor=actor, dossier=dossier, action="reject", apply=apply,
                                 note=reason)  # fmt: skip
    document_issue(dossier, DocumentKind.NOT_ELIGIBLE)
    return dossier


@transaction.atomic
def dossier_approve(*, actor, dossier: Dossier | int, note: str = "") -> Dossier:
    """The head approves: the drafted result is signed with the agency's certificate,
    stored as the e-result, and the desk gets the return step (§3 row 15)."""

    def apply(locked: Dossier):
        step = open_step(locked)
        if step is None or not approval_due_here(locked, step):
            raise DossierError(_("Hồ sơ chưa đến bước lãnh đạo phê duyệt."))
        if step.consultations.filter(completed_at__isnull=True).exists():
            raise DossierError(_("Còn ý kiến của cơ quan phối hợp chưa trả lời."))
        draft = result_draft(locked)
        if draft is None:
            raise DossierError(
                _("Chưa có dự thảo kết quả: chuyên viên phải tải lên hoặc soạn kết quả trước.")
            )
        now = timezone.now()
        locked.result_code = result_code_for(locked)
        result_sign(locked, draft, signer=actor)
        locked.result_signed_by = actor
        # Completed before the return step opens: the dossier's clock has
        # stopped, so that step carries no copy of its due (dossier_due_copy).
        locked.completed_at = now
        step_finish(step, at=now, actor=actor, outcome=StepOutcome.APPROVED, note=note)
        # Steps left between approval and return (numbering, sealing) are done
        # with the issuance of the signed e-result.
        _reception, middle, hand_back = split_workflow(workflow_of(locked))
        for later in (s for s in middle if s.order > step.order):
            extra = step_start(locked, later, at=now, handed_over_by=actor, assignee=actor)
            step_finish(extra, at=now, actor=actor, outcome=StepOutcome.ISSUED)
        if hand_back is not None:
            step_start(locked, hand_back, at=now, handed_over_by=actor, kind=StepKind.RETURN)
        else:
            locked.current_step = None
        locked.due_soon = locked.is_overdue = False
        result_to_personal_store(locked, draft)
        return ["result_code", "result_signed_by", "completed_at", "current_step",
                "due_soon", "is_overdue"]  # fmt: skip

    dossier = dossier_transition(actor=actor, dossier=dossier, action="approve", apply=apply,
                                 note=note)  # fmt: skip
    if dossier.result_delivery == "online":
        # Online delivery: the signed e-result in the personal store is the return.
        from .closing import dossier_return

        dossier = dossier_return(actor=None, dossier=dossier, method="online")
    return dossier


__all__ = [
    "dossier_approve",
    "dossier_reject",
    "supplement_discard",
    "supplement_draft",
    "supplement_issue",
    "supplement_warning",
]
