"""Sending the sync outbox: per dossier, in order, header first (national-sync.md §9).

Dossiers are claimed a few at a time (``CHUNK``) with a compare-and-set on
``DossierSync.claimed_until`` (rows locked with SKIP LOCKED on PostgreSQL; on
SQLite the transaction holds the write lock) so two workers never send the same
dossier at once, and no transaction is held across an HTTP call. A chunk's rows
are read together before its calls and what the replies decide is recorded
together after them, in one transaction: a backlog costs a few statements per
dossier instead of a dozen commits. Reply classes decide what happens to the
claimed rows:

* ok → sent; exists (3/−3) on create → the same header again as an update;
* validation → dead letter: the rows of that call are ``dead``, the dossier's
  queue is blocked (order) and the receiving unit gets a ``SyncTask``;
* auth, timeout, 5xx, down → back to pending with exponential backoff and
  jitter, and the circuit breaker counts the link failures;
* a procedure code the hub cannot know → the unmapped queue, rows wait.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
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
    SyncAttempt,
    SyncEvent,
    SyncTask,
    Target,
)
from ..transport import Reply, TargetClient, credential_for, credential_rows
from .breaker import breaker_allows, breaker_record

CLAIM = timedelta(minutes=2)
# A row left "sending" by a worker that died mid-call is sent again after this
# (the hub is idempotent on (MaHoSo, SoThuTu) and headers carry SoThuTu).
STALE = timedelta(minutes=5)
# Dossiers claimed, read and recorded together: large enough to share the
# statements, small enough that a claim never outlives its calls.
CHUNK = 20


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
    sender = _Sender(target, fixed, report)
    for start in range(0, len(ids), CHUNK):
        sender.run(ids[start : start + CHUNK], now)
        if report.circuit_open:
            break
        if not fixed:
            now = timezone.now()
    return report


def sync_dossier_send(dossier_id: int, *, now=None, target: Target | None = None) -> str:
    """Send one dossier's due rows now (the after-commit dispatch)."""
    target = target or active_target()
    if target is None:
        return "no_target"
    fixed = now is not None
    now = now or timezone.now()
    if not breaker_allows(target, now):
        return "circuit_open"
    DossierSync.objects.bulk_create([DossierSync(dossier_id=dossier_id)], ignore_conflicts=True)
    return _Sender(target, fixed, DrainReport()).run([dossier_id], now)[dossier_id]


def _claim(target: Target, ids: list[int], now) -> tuple[list[int], dict[int, list[SyncEvent]]]:
    """Claim the free dossiers among ``ids`` and mark the rows of those with
    something due "sending" (before any header is built: a change made while we
    send queues a new header row). Returns (claimed ids, their pending rows)."""
    with transaction.atomic():
        free = list(
            DossierSync.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, blocked=False)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .values_list("pk", flat=True)
        )
        if not free:
            return [], {}
        DossierSync.objects.filter(pk__in=free).update(claimed_until=now + CLAIM)
        events: dict[int, list[SyncEvent]] = {pk: [] for pk in free}
        rows = SyncEvent.objects.filter(
            target=target, dossier_id__in=free, status=EventStatus.PENDING
        ).order_by("dossier_id", "seq", "pk")
        for event in rows.defer("last_error"):
            events[event.dossier_id].append(event)
        due = [e.pk for pk in free if _due(events[pk], now) for e in events[pk]]
        if due:
            SyncEvent.objects.filter(pk__in=due).update(status=EventStatus.SENDING, claimed_at=now)
    return free, events


def _due(events: list[SyncEvent], now) -> bool:
    # The oldest row decides: when it backs off, later ones wait behind it (order) —
    # except rows that only waited for the dossier's code: the transition that gave
    # the code queued new rows and dispatched, and they all go now.
    if not events:
        return False
    first = events[0]
    return first.next_attempt_at <= now or first.error_class == ReplyClass.NO_CODE


class _Record:
    """What one chunk's replies decided, written in one transaction."""

    def __init__(self, claimed: list[int]) -> None:
        self.claimed = claimed
        self.acked: list[tuple[list[int], object]] = []  # (event ids, acknowledged at)
        self.untried: list[int] = []  # "sending" rows never sent (the breaker opened)
        self.states: dict[int, dict] = {}  # DossierSync changes besides the released claim
        self.statuses: dict[str, list[int]] = {}  # Dossier.sync_status → dossier ids
        self.writes: list[Callable[[], None]] = []  # deferrals and dead letters, in order

    def save(self, clients: dict) -> None:
        with transaction.atomic():
            for write in self.writes:
                write()
            # Statements shared by identical values (Django's bulk_update costs more
            # in Python than the separate statements of one transaction).
            for at, ids in _grouped((at, ids) for ids, at in self.acked).items():
                SyncEvent.objects.filter(pk__in=ids).update(
                    status=EventStatus.SENT, acked_at=at, error_class="", last_error=""
                )
            if self.untried:
                SyncEvent.objects.filter(pk__in=self.untried).update(
                    status=EventStatus.PENDING, claimed_at=None
                )
            for value, ids in self.statuses.items():
                Dossier.objects.filter(pk__in=ids).update(sync_status=value)
            attempts = [a for client in clients.values() for a in client.attempts]
            if attempts:
                SyncAttempt.objects.bulk_create(attempts)
                for client in clients.values():
                    client.attempts = []
            self._states()

    def _states(self) -> None:
        released = [((), pk) for pk in self.claimed if pk not in self.states]
        changed = [(tuple(sorted(c.items())), pk) for pk, c in self.states.items()]
        for changes, ids in _grouped([*released, *changed]).items():
            DossierSync.objects.filter(pk__in=ids).update(claimed_until=None, **dict(changes))

    def defer(self, events: list[SyncEvent], reason: str, until, error: str) -> None:
        self.writes.append(lambda: _defer(events, reason, until, error))


def _grouped(pairs) -> dict:
    """(value, id or ids) pairs → value → ids."""
    groups: dict = {}
    for value, ids in pairs:
        groups.setdefault(value, []).extend(ids if isinstance(ids, list) else [ids])
    return groups


class _Sender:
    """Sends chunks of dossiers for one drain (or one dispatch); keeps the HTTP
    clients and the credentials for the whole run."""

    def __init__(self, target: Target, fixed: bool, report: DrainReport) -> None:
        self.target, self.fixed, self.report = target, fixed, report
        self.clients: dict[int, TargetClient] = {}
        self.credentials: dict | None = None

    def run(self, ids: list[int], now) -> dict[int, str]:
        claimed, events = _claim(self.target, ids, now)
        outcomes = {pk: "busy" for pk in ids if pk not in events}
        ready = []
        for pk in claimed:
            if _due(events[pk], now):
                ready.append(pk)
            else:
                outcomes[pk] = "waiting" if events[pk] else "idle"
        record, started = _Record(claimed), set()
        try:
            if ready:
                states = DossierSync.objects.in_bulk(ready)
                dossiers = (
                    Dossier.objects.select_related(
                        "procedure_version__procedure", "procedure_version__field",
                        "receiving_agency", "processing_agency",
                    )
                    .prefetch_related(
                        Prefetch("components", DossierComponent.objects.select_related(
                            "store_evidence", "requirement")),
                        "documents", "payments",
                    )
                    .in_bulk(ready)
                )  # fmt: skip
            for index, pk in enumerate(ready):
                if self.report.circuit_open:
                    break
                started.add(pk)
                at = now if self.fixed or index == 0 else timezone.now()
                dossier = dossiers[pk]
                outcomes[pk], sent = _send(
                    self.target, dossier, states[pk], events[pk], at, self._client(dossier), record
                )
                self.report.sent += sent
                if self.target.circuit_open_until is not None:
                    self.report.circuit_open = True
        finally:
            # Rows of a dossier whose turn never came go back as they were; a crash
            # mid-dossier leaves its rows "sending" until STALE (the hub is idempotent).
            record.untried = [e.pk for pk in ready if pk not in started for e in events[pk]]
            record.save(self.clients)
        for pk in ids:
            if pk in outcomes:
                self.report.dossiers += 1
                self.report.outcomes[outcomes[pk]] = self.report.outcomes.get(outcomes[pk], 0) + 1
        return outcomes

    def _client(self, dossier: Dossier) -> TargetClient:
        agency = dossier.receiving_agency
        client = self.clients.get(agency.pk)
        if client is None:
            if self.credentials is None:
                self.credentials = credential_rows(self.target)
            credential = credential_for(
                self.target, agency.pk, unit_code(self.target, agency), rows=self.credentials
            )
            client = self.clients[agency.pk] = TargetClient(self.target, credential)
        return client


def _send(target, dossier, state, events, now, client, record: _Record) -> tuple[str, int]:
    if not dossier.code:
        record.defer(events, ReplyClass.NO_CODE, now + timedelta(minutes=5), "")
        return ReplyClass.NO_CODE, 0
    headers = [e for e in events if e.kind == EventKind.HEADER]
    progress = [e for e in events if e.kind == EventKind.PROGRESS]
    done: list[SyncEvent] = []
    updates: dict = {}
    if headers or not state.created_on_hub:
        try:
            # The last national code recorded, for a state that has none of its own.
            last_status = progress[-1].national_status if progress else None
            header = dossier_header(
                target, dossier, seq=events[-1].seq,
                last_status=last_status or state.last_national_status,
            )  # fmt: skip
        except Unmapped as missing:
            record.defer(events, ReplyClass.UNMAPPED, now + timedelta(seconds=target.backoff_max),
                         str(missing))  # fmt: skip
            return ReplyClass.UNMAPPED, 0
        operation = "update" if state.created_on_hub else "create"
        reply = client.call(operation, [header], dossier_id=dossier.pk)
        breaker_record(target, reply.reply_class, now)
        if reply.reply_class == ReplyClass.EXISTS:
            reply = client.call("update", [header], dossier_id=dossier.pk)
            breaker_record(target, reply.reply_class, now)
        if not reply.ok:
            return _failed(target, dossier, events, headers, reply, record, updates, now), 0
        done += headers
        updates.update(_acked_header(header), created_on_hub=True, header_acked_at=now)
    if progress:
        payload = [{"MaHoSo": dossier.code, "SoThuTu": str(e.seq), **e.payload}
                   for e in progress]  # fmt: skip
        reply = client.call("progress", payload, dossier_id=dossier.pk)
        breaker_record(target, reply.reply_class, now)
        if not reply.ok:
            if done:
                record.acked.append(([e.pk for e in done], now))
            rest = [e for e in events if e not in done]
            return _failed(target, dossier, rest, progress, reply, record, updates, now), len(done)
        done += progress
        updates.update(
            last_acked_seq=progress[-1].seq, last_national_status=progress[-1].national_status
        )
    record.acked.append(([e.pk for e in done], now))
    record.states[dossier.pk] = updates
    synced = updates.get("received_synced", state.received_synced)
    value = "synced" if synced else "pending"
    if dossier.sync_status != value:
        record.statuses.setdefault(value, []).append(dossier.pk)
    return ReplyClass.OK, len(done)


def _defer(events: list[SyncEvent], reason: str, until, error: str) -> None:
    """Back to pending without counting an attempt (nothing was sent)."""
    SyncEvent.objects.filter(pk__in=[e.pk for e in events]).update(
        status=EventStatus.PENDING, next_attempt_at=until, error_class=reason, last_error=error
    )


def _failed(target, dossier, events, failed_rows, reply: Reply, record: _Record, updates: dict,
            now) -> str:  # fmt: skip
    error = f"HTTP {reply.status_code or '—'}: {reply.message}"[:2000]
    record.states[dossier.pk] = updates
    if reply.reply_class == ReplyClass.VALIDATION:
        dead = [e.pk for e in failed_rows]
        updates["blocked"] = True

        def dead_letter() -> None:
            SyncEvent.objects.filter(pk__in=dead).update(
                status=EventStatus.DEAD, error_class=reply.reply_class, last_error=error,
                attempts=1,
            )  # fmt: skip
            _defer([e for e in events if e.pk not in dead], reply.reply_class, now, "")
            SyncTask.objects.create(
                dossier=dossier, agency=dossier.receiving_agency,
                operation=reply_operation(failed_rows), message=reply.message or error,
                errors=reply.errors,
            )  # fmt: skip
            Dossier.objects.filter(pk=dossier.pk).update(sync_status="failed")

        record.writes.append(dead_letter)
        return reply.reply_class
    attempts = max(e.attempts for e in events) + 1
    retry_at = now + backoff(target, attempts)

    def back_off() -> None:
        SyncEvent.objects.filter(pk__in=[e.pk for e in events]).update(
            status=EventStatus.PENDING, attempts=attempts, error_class=reply.reply_class,
            next_attempt_at=retry_at, last_error=error,
        )  # fmt: skip

    record.writes.append(back_off)
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


__all__ = ["backoff", "sync_dossier_send", "sync_drain"]
