"""Sending the sync outbox: per dossier, in order, header first (national-sync.md §9).

A dossier is claimed with a compare-and-set on ``DossierSync.claimed_until`` so
two workers never send the same dossier at once, and no transaction is held
across an HTTP call. Reply classes decide what happens to the claimed rows:

* ok → sent; exists (3/−3) on create → the same header again as an update;
* validation → dead letter: the rows of that call are ``dead``, the dossier's
  queue is blocked (order) and the receiving unit gets a ``SyncTask``;
* auth, timeout, 5xx, down → back to pending with exponential backoff and
  jitter, and the circuit breaker counts the link failures;
* a procedure code the hub cannot know → the unmapped queue, rows wait.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Min, Prefetch, Q
from django.utils import timezone

from dossiers.models import Dossier, DossierComponent

from ..config import active_target
from ..hub.messages import Unmapped, dossier_header, unit_code
from ..models import (
    DossierSync,
    EventKind,
    EventStatus,
    ReplyClass,
    SyncEvent,
    SyncTask,
    Target,
)
from ..transport import Reply, TargetClient, credential_for
from .breaker import breaker_allows, breaker_record

CLAIM = timedelta(minutes=2)
# A row left "sending" by a worker that died mid-call is sent again after this
# (the hub is idempotent on (MaHoSo, SoThuTu) and headers carry SoThuTu).
STALE = timedelta(minutes=5)


@dataclass
class DrainReport:
    dossiers: int = 0
    sent: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    circuit_open: bool = False


def backoff(target: Target, attempts: int) -> timedelta:
    """Exponential with full jitter between half and all of the step, capped."""
    step = min(target.backoff_max, target.backoff_base * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=step * random.uniform(0.5, 1.0))


def sync_drain(*, limit: int = 1000, now=None, target: Target | None = None) -> DrainReport:
    """Send what is due, oldest first, until ``limit`` dossiers or the breaker opens."""
    report = DrainReport()
    target = target or active_target()
    if target is None:
        return report
    fixed = now is not None  # a caller's instant (tests, benchmarks) holds for the whole run
    now = now or timezone.now()
    SyncEvent.objects.filter(
        target=target, status=EventStatus.SENDING, claimed_at__lt=now - STALE
    ).update(status=EventStatus.PENDING)
    if not breaker_allows(target, now):
        report.circuit_open = True
        return report
    ids = list(
        SyncEvent.objects.filter(
            target=target, status=EventStatus.PENDING, next_attempt_at__lte=now
        )
        .values("dossier_id")
        .annotate(first=Min("pk"))
        .order_by("first")
        .values_list("dossier_id", flat=True)[:limit]
    )
    DossierSync.objects.bulk_create([DossierSync(dossier_id=i) for i in ids], ignore_conflicts=True)
    clients: dict = {}
    for dossier_id in ids:
        outcome, sent = _sync_one(target, dossier_id, now, clients)
        report.dossiers += 1
        report.sent += sent
        report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
        if target.circuit_open_until is not None:
            report.circuit_open = True
            break
        if not fixed:
            now = timezone.now()
    return report


def sync_dossier_send(dossier_id: int, *, now=None, target: Target | None = None) -> str:
    """Send one dossier's due rows now (the after-commit dispatch)."""
    target = target or active_target()
    if target is None:
        return "no_target"
    now = now or timezone.now()
    if not breaker_allows(target, now):
        return "circuit_open"
    DossierSync.objects.bulk_create([DossierSync(dossier_id=dossier_id)], ignore_conflicts=True)
    return _sync_one(target, dossier_id, now, {})[0]


def _sync_one(target: Target, dossier_id: int, now, clients: dict) -> tuple[str, int]:
    claimed = (
        DossierSync.objects.filter(pk=dossier_id, blocked=False)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM)
    )
    if not claimed:
        return "busy", 0
    state_updates: dict = {"claimed_until": None}
    try:
        return _send(target, dossier_id, now, clients, state_updates)
    finally:
        DossierSync.objects.filter(pk=dossier_id).update(**state_updates)


def _send(target, dossier_id, now, clients, state_updates) -> tuple[str, int]:
    events = list(
        SyncEvent.objects.filter(target=target, dossier_id=dossier_id, status=EventStatus.PENDING)
        .order_by("seq", "pk")
        .defer("last_error")
    )
    if not events:
        return "idle", 0
    if events[0].next_attempt_at > now and events[0].error_class != ReplyClass.NO_CODE:
        # The oldest row backs off and later ones wait behind it — except rows that
        # only waited for the dossier's code: the transition that gave it dispatches.
        return "waiting", 0
    state = DossierSync.objects.get(pk=dossier_id)
    dossier = (
        Dossier.objects.select_related(
            "procedure_version__procedure", "procedure_version__field", "receiving_agency",
            "processing_agency",
        )
        .prefetch_related(
            Prefetch(
                "components",
                DossierComponent.objects.select_related("store_evidence", "requirement"),
            ),
            "documents",
            "payments",
        )
        .get(pk=dossier_id)
    )  # fmt: skip
    if not dossier.code:
        _defer(events, ReplyClass.NO_CODE, now + timedelta(minutes=5), "")
        return ReplyClass.NO_CODE, 0
    ids = [event.pk for event in events]
    # Claimed before the header is built: a change made while we send queues a new header row.
    SyncEvent.objects.filter(pk__in=ids).update(status=EventStatus.SENDING, claimed_at=now)
    client = _client(target, dossier, clients)
    headers = [e for e in events if e.kind == EventKind.HEADER]
    progress = [e for e in events if e.kind == EventKind.PROGRESS]
    done: list[SyncEvent] = []
    try:
        if headers or not state.created_on_hub:
            try:
                # The last national code recorded, for a state that has none of its own.
                last_status = progress[-1].national_status if progress else None
                header = dossier_header(
                    target, dossier, seq=events[-1].seq,
                    last_status=last_status or state.last_national_status,
                )  # fmt: skip
            except Unmapped as missing:
                _defer(events, ReplyClass.UNMAPPED, now + timedelta(seconds=target.backoff_max),
                       str(missing))  # fmt: skip
                return ReplyClass.UNMAPPED, 0
            operation = "update" if state.created_on_hub else "create"
            reply = client.call(operation, [header], dossier_id=dossier_id)
            breaker_record(target, reply.reply_class, now)
            if reply.reply_class == ReplyClass.EXISTS:
                reply = client.call("update", [header], dossier_id=dossier_id)
                breaker_record(target, reply.reply_class, now)
            if not reply.ok:
                return _failed(target, dossier, events, headers, reply, state_updates, now), 0
            done += headers
            state_updates.update(_acked_header(header), created_on_hub=True, header_acked_at=now)
        if progress:
            payload = [{"MaHoSo": dossier.code, "SoThuTu": str(e.seq), **e.payload}
                       for e in progress]  # fmt: skip
            reply = client.call("progress", payload, dossier_id=dossier_id)
            breaker_record(target, reply.reply_class, now)
            if not reply.ok:
                _mark_sent(done, now)
                rest = [e for e in events if e not in done]
                return _failed(target, dossier, rest, progress, reply, state_updates, now), len(
                    done
                )
            done += progress
            state_updates.update(
                last_acked_seq=progress[-1].seq, last_national_status=progress[-1].national_status
            )
        _mark_sent(done, now)
        _dossier_status(dossier, state, state_updates)
        return ReplyClass.OK, len(done)
    finally:
        client.attempts_save()


def _client(target: Target, dossier: Dossier, clients: dict) -> TargetClient:
    agency = dossier.receiving_agency
    client = clients.get(agency.pk)
    if client is None:
        credential = credential_for(target, agency.pk, unit_code(target, agency))
        client = clients[agency.pk] = TargetClient(target, credential)
    return client


def _mark_sent(events: list[SyncEvent], now) -> None:
    if events:
        SyncEvent.objects.filter(pk__in=[e.pk for e in events]).update(
            status=EventStatus.SENT, acked_at=now, error_class="", last_error=""
        )


def _defer(events: list[SyncEvent], reason: str, until, error: str) -> None:
    """Back to pending without counting an attempt (nothing was sent)."""
    SyncEvent.objects.filter(pk__in=[e.pk for e in events]).update(
        status=EventStatus.PENDING, next_attempt_at=until, error_class=reason, last_error=error
    )


def _failed(target, dossier, events, failed_rows, reply: Reply, state_updates, now) -> str:
    error = f"HTTP {reply.status_code or '—'}: {reply.message}"[:2000]
    if reply.reply_class == ReplyClass.VALIDATION:
        dead = [e.pk for e in failed_rows]
        SyncEvent.objects.filter(pk__in=dead).update(
            status=EventStatus.DEAD, error_class=reply.reply_class, last_error=error,
            attempts=1,
        )  # fmt: skip
        _defer([e for e in events if e.pk not in dead], reply.reply_class, now, "")
        state_updates["blocked"] = True
        SyncTask.objects.create(
            dossier=dossier, agency=dossier.receiving_agency,
            operation=reply_operation(failed_rows), message=reply.message or error,
            errors=reply.errors,
        )  # fmt: skip
        Dossier.objects.filter(pk=dossier.pk).update(sync_status="failed")
        return reply.reply_class
    attempts = max(e.attempts for e in events) + 1
    SyncEvent.objects.filter(pk__in=[e.pk for e in events]).update(
        status=EventStatus.PENDING, attempts=attempts, error_class=reply.reply_class,
        next_attempt_at=now + backoff(target, attempts), last_error=error,
    )  # fmt: skip
    return reply.reply_class


def reply_operation(rows: list[SyncEvent]) -> str:
    return "progress" if rows and rows[0].kind == EventKind.PROGRESS else "header"


def _acked_header(header: dict) -> dict:
    """What the hub now holds, for the criteria that count synced data."""
    results = header.get("DanhSachGiayToKetQua") or []
    flag = int(header.get("DuocThanhToanTrucTuyen") or 0)
    return {
        "received_synced": bool(header.get("NgayTiepNhan")),
        "fee_list_synced": any(int(row.get("Gia") or 0) > 0 for row in header["DanhSachLePhi"]),
        "payment_flag_synced": flag or None,
        "result_synced": any(
            r.get("MaGiayToKetQua") and r.get("DuongDanTepTinKetQua") for r in results
        ),
        "store_component_synced": any(
            row.get("DuocLayTuKhoDMQG") == "1" for row in header["TaiLieuNop"]
        ),
    }


def _dossier_status(dossier: Dossier, state: DossierSync, updates: dict) -> None:
    synced = updates.get("received_synced", state.received_synced)
    value = "synced" if synced else "pending"
    if dossier.sync_status != value:
        Dossier.objects.filter(pk=dossier.pk).update(sync_status=value)


__all__ = ["backoff", "sync_dossier_send", "sync_drain"]
