"""How a dossier ends besides approval: return of the result (form 07 line),
withdrawal at the citizen's request and the agency's stop (form 05)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import DocumentKind, Dossier, StepOutcome, SupplementState
from . import DossierError
from .documents import document_issue
from .lifecycle import dossier_transition
from .steps import open_step, step_finish, steps_close_all

RETURN_METHODS = ("desk", "postal", "online")


@transaction.atomic
def dossier_return(
    *, actor, dossier: Dossier | int, method: str, returned_to: str = "", note: str = ""
) -> Dossier:
    """Hand the result over at the desk, by post or online (§3 row 16)."""
    if method not in RETURN_METHODS:
        raise DossierError(_("Hình thức trả kết quả không hợp lệ."))
    returned_to = (returned_to or "").strip()
    if method == "desk" and not returned_to:
        raise DossierError(_("Hãy ghi họ tên người nhận kết quả tại Bộ phận Một cửa."))

    def apply(locked: Dossier):
        now = timezone.now()
        step = open_step(locked)
        if step is not None:
            step_finish(step, at=now, actor=actor, outcome=StepOutcome.RETURNED, note=note)
        locked.current_step = None
        locked.returned_at = now
        locked.return_method = method
        locked.returned_to = returned_to or locked.applicant_name
        return ["current_step", "returned_at", "return_method", "returned_to"]

    return dossier_transition(
        actor=actor, dossier=dossier, action="return_result", apply=apply, note=note
    )


def _stop(*, actor, dossier, action: str, reason: str, channel: str) -> Dossier:
    reason = (reason or "").strip()
    if not reason:
        raise DossierError(_("Phải ghi rõ lý do."))

    def apply(locked: Dossier):
        now = timezone.now()
        steps_close_all(locked, at=now, actor=actor, outcome=StepOutcome.CLOSED)
        locked.supplement_requests.filter(state=SupplementState.DRAFT).update(
            state=SupplementState.CANCELLED
        )
        locked.pauses.filter(ended_at__isnull=True).update(ended_at=now)
        locked.stop_reason = reason
        locked.stop_requested_at = now
        locked.stop_request_channel = channel
        locked.completed_at = now
        locked.due_soon = locked.is_overdue = False
        return ["current_step", "stop_reason", "stop_requested_at", "stop_request_channel",
                "completed_at", "due_soon", "is_overdue"]  # fmt: skip

    dossier = dossier_transition(actor=actor, dossier=dossier, action=action, apply=apply,
                                 note=reason)  # fmt: skip
    if dossier.received_at is not None:
        # Form 05 answers a received dossier; a draft withdrawn before receipt needs none.
        document_issue(dossier, DocumentKind.STOP_NOTICE)
    return dossier


@transaction.atomic
def dossier_withdraw(*, actor, dossier: Dossier | int, reason: str, channel: str = "") -> Dossier:
    """The citizen withdraws before any decision or result (Decree 118/2025 Art. 21)."""
    return _stop(
        actor=actor, dossier=dossier, action="withdraw", reason=reason,
        channel=channel or str(_("Cổng dịch vụ công")),
    )  # fmt: skip


@transaction.atomic
def dossier_stop(*, actor, dossier: Dossier | int, reason: str) -> Dossier:
    """The agency stops processing (e.g. the citizen never supplemented, §3 row 13)."""
    return _stop(
        actor=actor, dossier=dossier, action="stop", reason=reason,
        channel=str(_("Cơ quan giải quyết")),
    )  # fmt: skip
