"""Putting a dossier's history back in the sync queue.

* ``difference_resync`` (reconciliation): every acknowledged progress row goes
  back to pending and a header row is queued, so the hub receives the full
  ordered history again — it is idempotent on (MaHoSo, SoThuTu), and the header
  carries SoThuTu — and, when the hub lost the dossier, a create first.
* ``dossier_resync`` (dead letter): the refused rows go back to pending after
  the officer corrected the data; the dossier's queue is unblocked and its
  officer tasks are closed.

Both run in one transaction with the dossier row locked (as a lifecycle
transition does), leave an audit event and dispatch the send after commit.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from tthc_portal.audit.services import audit_record

from ..config import active_target
from ..models import (
    Difference,
    DifferenceKind,
    DossierSync,
    EventKind,
    EventStatus,
    SyncEvent,
    SyncTask,
    Target,
)
from ..selectors import dossier_resync_allowed, sync_office_allowed


class ResyncError(Exception):
    """The resync cannot be done (the message is for the user)."""


# What the hub is known to hold once it lost the dossier: nothing.
FORGOTTEN = {
    "created_on_hub": False,
    "last_acked_seq": 0,
    "received_synced": False,
    "fee_list_synced": False,
    "payment_flag_synced": None,
    "result_synced": False,
    "store_component_synced": False,
}


def _dispatch(dossier_id: int) -> None:
    from ..tasks import sync_dossier

    # robust: with the broker down the rows stay pending and the flush job sends them.
    transaction.on_commit(lambda: sync_dossier.delay(dossier_id), robust=True)


def _requeue(
    target: Target, dossier: Dossier, *, revive_sent: bool, hub_lacks: bool, queue_header: bool
) -> int:
    """Rows → pending (dead ones, and with ``revive_sent`` the acknowledged
    progress too); the queue unblocked. Returns the number of rows queued."""
    now = timezone.now()
    reset = {
        "status": EventStatus.PENDING, "attempts": 0, "next_attempt_at": now,
        "claimed_at": None, "error_class": "", "last_error": "", "acked_at": None,
    }  # fmt: skip
    rows = SyncEvent.objects.filter(target=target, dossier=dossier)
    statuses = [EventStatus.DEAD, *([EventStatus.SENT] if revive_sent else [])]
    queued = rows.filter(kind=EventKind.PROGRESS, status__in=statuses).update(**reset)
    # A header row only says "the header changed": at most one may be pending
    # (a partial unique index), and a pending one already says it.
    dead = list(
        rows.filter(kind=EventKind.HEADER, status=EventStatus.DEAD)
        .order_by("-pk")
        .values_list("pk", flat=True)
    )
    pending = rows.filter(kind=EventKind.HEADER, status=EventStatus.PENDING).exists()
    if dead and not pending:
        queued += rows.filter(pk=dead[0]).update(**reset)
        dead, pending = dead[1:], True
    if dead:
        rows.filter(pk__in=dead).delete()
    if queue_header and not pending:
        seq = rows.aggregate(m=Max("seq"))["m"] or 0
        SyncEvent.objects.bulk_create(
            [SyncEvent(target=target, dossier=dossier, kind=EventKind.HEADER, seq=seq,
                       occurred_at=now, next_attempt_at=now)],
            ignore_conflicts=True,
        )  # fmt: skip
        queued += 1
    DossierSync.objects.bulk_create([DossierSync(dossier=dossier)], ignore_conflicts=True)
    DossierSync.objects.filter(pk=dossier.pk).update(
        blocked=False, **(FORGOTTEN if hub_lacks else {})
    )
    return queued


def _close_tasks(dossier: Dossier, actor) -> int:
    return SyncTask.objects.filter(dossier=dossier, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )


def difference_resync(difference: Difference, actor) -> Difference:
    """Send the dossier's whole history again; every open difference of the
    dossier is marked resynced by ``actor`` (the next run says if it held)."""
    if not sync_office_allowed(actor):
        raise PermissionDenied
    if difference.dossier_id is None:
        raise ResyncError(_("Hồ sơ không còn trên hệ thống, không thể đồng bộ lại."))
    target = difference.run.target
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=difference.dossier_id)
        hub_lacks = difference.kind == DifferenceKind.MISSING
        queued = _requeue(target, dossier, revive_sent=True, hub_lacks=hub_lacks,
                          queue_header=True)  # fmt: skip
        tasks = _close_tasks(dossier, actor)
        now = timezone.now()
        marked = Difference.objects.filter(dossier=dossier, resynced_at__isnull=True).update(
            resynced_at=now, resynced_by=actor
        )
        audit_record(
            actor=actor, action="integrations.difference_resync", target=dossier,
            before={"difference": difference.pk, "kind": difference.kind,
                    "field": difference.field, "local": difference.local_value,
                    "national": difference.national_value},
            after={"rows_queued": queued, "differences_marked": marked, "tasks_closed": tasks,
                   "create_again": hub_lacks},
        )  # fmt: skip
        _dispatch(dossier.pk)
    difference.refresh_from_db()
    return difference


def dossier_resync(dossier: Dossier, actor) -> int:
    """A dead letter after correction: the refused rows are sent again, in
    order, and the officer tasks are closed. Returns the rows queued."""
    if not dossier_resync_allowed(actor, dossier):
        raise PermissionDenied
    target = active_target()
    if target is None:
        raise ResyncError(_("Chưa cấu hình kết nối Cổng DVCQG."))
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        queued = _requeue(target, dossier, revive_sent=False, hub_lacks=False,
                          queue_header=False)  # fmt: skip
        tasks = _close_tasks(dossier, actor)
        if not queued and not tasks:
            raise ResyncError(_("Hồ sơ không có dữ liệu đồng bộ bị từ chối."))
        audit_record(
            actor=actor, action="integrations.dossier_resync", target=dossier,
            after={"rows_queued": queued, "tasks_closed": tasks},
        )  # fmt: skip
        _dispatch(dossier.pk)
    return queued
