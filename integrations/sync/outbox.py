"""Sync rows written in the transition's transaction (national-sync.md §9).

A transition that changes the national status writes a progress event (a
snapshot) and "the header changed"; a header-only change (fees, payment,
apology, result) writes the latter alone. The dossier row is locked by the
lifecycle service, so the per-dossier sequence cannot race."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dossiers.models import TERMINAL_STATUSES, Dossier, StatusHistory

from ..config import active_target_id, national_status_map
from ..hub.messages import progress_event
from ..models import EventKind, EventStatus, SyncEvent

# Transitions that keep the national status but change header fields.
HEADER_ACTIONS = frozenset({"issue_apology", "approve", "attach_result"})


def _dispatch(dossier_id: int) -> None:
    from ..tasks import sync_dossier

    # robust: with the broker down the rows stay pending and the flush job sends them.
    transaction.on_commit(lambda: sync_dossier.delay(dossier_id), robust=True)


def sync_record_transition(dossier: Dossier, history: StatusHistory, action: str, before: str):
    """Outbox rows for one transition (none when no hub is configured)."""
    target_id = active_target_id()
    if target_id is None:
        return []
    if not dossier.code and dossier.status in TERMINAL_STATUSES:
        # Ended before it ever had a code (refused at the counter, withdrawn before
        # receipt): it never reached the hub, and what was queued for it is moot.
        SyncEvent.objects.filter(dossier=dossier, status=EventStatus.PENDING).delete()
        return []
    mapping = national_status_map()
    new_code, synced = mapping.get(dossier.status, (None, False))
    old_code = mapping.get(before, (None, False))[0]
    last_seq = (
        SyncEvent.objects.filter(target_id=target_id, dossier=dossier).aggregate(m=Max("seq"))["m"]
        or 0
    )
    known = last_seq > 0
    rows = []
    if new_code is not None and new_code != old_code and (synced or known):
        last_seq += 1
        rows.append(
            SyncEvent(
                target_id=target_id, dossier=dossier, kind=EventKind.PROGRESS, seq=last_seq,
                national_status=new_code, payload=progress_event(dossier, history, new_code),
                occurred_at=history.at, next_attempt_at=timezone.now(),
            )
        )  # fmt: skip
    if rows or (known and action in HEADER_ACTIONS):
        rows.append(_header_row(target_id, dossier, last_seq, history.at))
    if not rows:
        return []
    # The header row is ignored when one is already pending (one partial unique index).
    created = SyncEvent.objects.bulk_create(rows, ignore_conflicts=True)
    _dispatch(dossier.pk)
    return created


def _header_row(target_id: int, dossier: Dossier, seq: int, at) -> SyncEvent:
    return SyncEvent(
        target_id=target_id, dossier=dossier, kind=EventKind.HEADER, seq=seq, occurred_at=at,
        next_attempt_at=timezone.now(),
    )  # fmt: skip


def sync_header_changed(dossier: Dossier, reason: str = "") -> bool:
    """Fees, payment or digitisation changed: queue a header update for a dossier
    the hub already knows (a dossier not yet known gets its header with its
    first event)."""
    target_id = active_target_id()
    if target_id is None:
        return False
    last_seq = SyncEvent.objects.filter(target_id=target_id, dossier=dossier).aggregate(
        m=Max("seq")
    )["m"]
    if not last_seq:
        return False
    SyncEvent.objects.bulk_create(
        [_header_row(target_id, dossier, last_seq, timezone.now())], ignore_conflicts=True
    )
    _dispatch(dossier.pk)
    return True
