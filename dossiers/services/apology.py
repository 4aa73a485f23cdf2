"""Form 04: the apology letter with one new appointment (dossier-lifecycle §7)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.workdays.services import get_calendar

from ..models import Apology, DocumentKind, Dossier
from . import DossierError
from .deadlines import dossier_due_set
from .documents import document_issue
from .lifecycle import dossier_transition
from .steps import steps_recompute


def notice_left(due_at: datetime, now: datetime) -> bool:
    """Whether the configured notice (default 1 working day; unit "days" counts
    calendar days — unconfirmed, §7) still separates now from the deadline."""
    amount = float(settings.TTHC.get("APOLOGY_NOTICE", 1))
    if settings.TTHC.get("APOLOGY_NOTICE_UNIT", "working_days") == "days":
        return due_at - now >= timedelta(days=amount)
    if now >= due_at:
        return False
    return get_calendar().working_time_between(now, due_at) >= timedelta(hours=amount * 8)


def apology_allowed(dossier: Dossier, now: datetime | None = None) -> str:
    """Empty when the head may issue an apology now, else why not (Vietnamese)."""
    now = now or timezone.now()
    if dossier.apology_issued or Apology.objects.filter(dossier_id=dossier.pk).exists():
        return _("Hồ sơ đã có phiếu xin lỗi và hẹn lại; chỉ được hẹn lại một lần.")
    if dossier.due_at is None:
        return _("Hồ sơ đang tạm dừng tính thời gian (chờ bổ sung); chưa có hạn để hẹn lại.")
    if not notice_left(dossier.due_at, now):
        return _(
            "Phiếu xin lỗi phải được ban hành chậm nhất 1 ngày làm việc trước hạn trả kết quả "
            "(%(due)s); đã quá thời điểm này."
        ) % {"due": timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")}
    return ""


@transaction.atomic
def apology_issue(*, actor, dossier: Dossier | int, reason: str, new_due_at: datetime) -> Apology:
    """The resolving agency's head apologises and sets one new date; the
    original appointment stays recorded for the indicators."""
    reason = (reason or "").strip()
    if not reason:
        raise DossierError(_("Phải nêu lý do chậm trả kết quả."))
    holder: dict = {}

    def apply(locked: Dossier):
        now = timezone.now()
        problem = apology_allowed(locked, now)
        if problem:
            raise DossierError(problem)
        if new_due_at <= locked.due_at:
            raise DossierError(_("Ngày hẹn trả mới phải sau ngày hẹn hiện tại."))
        holder["apology"] = Apology.objects.create(
            dossier=locked, reason=reason, original_due_at=locked.due_at, new_due_at=new_due_at,
            issued_by=actor, issued_at=now,
            agency=locked.processing_agency or locked.receiving_agency,
        )  # fmt: skip
        if locked.original_due_at is None:
            locked.original_due_at = locked.due_at
        # Issued first: the head is not asked about an apology again.
        locked.apology_issued = True
        fields = dossier_due_set(locked, new_due_at)
        locked.due_soon = locked.is_overdue = False
        # The open steps follow the new appointment, computed again from the calendar.
        steps_recompute(locked)
        return ["original_due_at", *fields, "apology_issued", "due_soon", "is_overdue"]

    dossier = dossier_transition(
        actor=actor, dossier=dossier, action="issue_apology", apply=apply, note=reason,
        agency=_agency_of(dossier),
    )  # fmt: skip
    document_issue(dossier, DocumentKind.APOLOGY, source_id=holder["apology"].pk)
    return holder["apology"]


def _agency_of(dossier: Dossier | int):
    """The apology is signed by the head of the resolving agency."""
    record = dossier if isinstance(dossier, Dossier) else Dossier.objects.get(pk=dossier)
    return record.processing_agency or record.receiving_agency
