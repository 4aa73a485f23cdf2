"""Legal holds: a dossier under inspection, dispute or lawsuit is never proposed
nor destroyed while a hold is active."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from tthc_portal.audit.services import audit_record

from ..models import LegalHold
from . import RecordsError

PERM = "records.manage_legalhold"


def legal_hold_place(*, dossier: Dossier, actor, reason: str) -> LegalHold:
    if not actor.has_perm(PERM):
        raise RecordsError(_("Bạn không có quyền đặt lệnh giữ hồ sơ."))
    if not reason.strip():
        raise RecordsError(_("Cần ghi lý do giữ hồ sơ."))
    with transaction.atomic():
        hold = LegalHold.objects.create(
            dossier=dossier, reason=reason.strip(), placed_by=actor, placed_at=timezone.now()
        )
        audit_record(
            actor=actor, action="records.hold_placed", target=dossier,
            after={"hold": hold.pk, "reason": hold.reason},
        )  # fmt: skip
    return hold


def legal_hold_lift(*, hold: LegalHold, actor, reason: str) -> LegalHold:
    if not actor.has_perm(PERM):
        raise RecordsError(_("Bạn không có quyền gỡ lệnh giữ hồ sơ."))
    if not reason.strip():
        raise RecordsError(_("Cần ghi lý do gỡ lệnh giữ."))
    with transaction.atomic():
        locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if locked.lifted_at is not None:
            raise RecordsError(_("Lệnh giữ này đã được gỡ."))
        locked.lifted_by, locked.lifted_at = actor, timezone.now()
        locked.lift_reason = reason.strip()
        locked.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
        audit_record(
            actor=actor, action="records.hold_lifted", target=locked.dossier,
            after={"hold": locked.pk, "reason": locked.lift_reason},
        )  # fmt: skip
    return locked
