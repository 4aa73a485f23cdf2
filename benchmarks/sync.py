"""National sync against the hub simulator (a real HTTP process, state in a temp dir).

Dossiers with a code (``synthetic``, made here when too few) get their
real national status sequence as progress rows seq 1..k plus a pending header
row, ``occurred_at`` = the moment of queueing. Backlog: ``BENCH_SYNC_EVENTS``
(100,000) events queued at once, as after a day-long outage, drained by
``BENCH_SYNC_WORKERS`` (2, the Celery concurrency of scripts/run-dev) forked
processes calling ``sync_drain(limit=500)``; the hub must then hold exactly what
was queued. Steady state: the same drainers (polling every 0.2 s when idle — the
after-commit dispatch's job in production) while transitions arrive at 100
events/s for 20 s. Direct path: ``sync_dossier_send`` right after one dossier's
rows are queued. Target: ≥ 300 events/s with the default worker setup.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from .harness import count_queries, report

EVENTS = int(os.environ.get("BENCH_SYNC_EVENTS", "100000"))
WORKERS = int(os.environ.get("BENCH_SYNC_WORKERS", "2"))
DRAIN_LIMIT, IDLE_SLEEP, STEADY_TICK = 500, 0.2, 0.1
STEADY_RATE = int(os.environ.get("BENCH_SYNC_STEADY_RATE", "100"))
STEADY_SECONDS = int(os.environ.get("BENCH_SYNC_STEADY_SECONDS", "20"))
DIRECT = int(os.environ.get("BENCH_SYNC_DIRECT", "500"))
TARGET_RATE = 300


def _lifecycles(dossier_ids: list[int]) -> dict[int, list[tuple]]:
    """Per dossier, the progress events the outbox writes for its history
    (a national code that changes, once known or when synced for all):
    (national status, at, action, actor id), in order."""
    from dossiers.models import StatusHistory
    from integrations.config import national_status_map

    mapping = national_status_map()
    events: dict[int, list[tuple]] = {pk: [] for pk in dossier_ids}
    rows = StatusHistory.objects.filter(dossier_id__in=dossier_ids).order_by("dossier_id", "at",
                                                                             "pk")  # fmt: skip
    columns = ("dossier_id", "from_status", "to_status", "at", "action", "actor_id")
    for dossier_id, before, after, at, action, actor in rows.values_list(*columns):
        new, synced = mapping.get(after, (None, False))
        old = mapping.get(before, (None, False))[0]
        if new is not None and new != old and (synced or events[dossier_id]):
            events[dossier_id].append((new, at, action, actor))
    return events


def _select(needed: int, after: int = 0, dossiers: int | None = None) -> list[tuple]:
    """Dossiers with a code and an id above ``after``, with their events, until
    exactly ``needed`` events (the last lifecycle cut short) or ``dossiers``."""
    from dossiers.models import Dossier

    chosen, total = [], 0
    codes = Dossier.objects.filter(code__isnull=False).order_by("pk")
    while total < needed and (dossiers is None or len(chosen) < dossiers):
        chunk = list(codes.filter(pk__gt=after).values_list("pk", flat=True)[:5000])
        if not chunk:
            raise RuntimeError(f"only {total:,} events available; generate more dossiers")
        after = chunk[-1]
        for pk, events in sorted(_lifecycles(chunk).items()):
            if events and total < needed and (dossiers is None or len(chosen) < dossiers):
                chosen.append((pk, events[: needed - total]))
                total += len(chosen[-1][1])
    return chosen


class Payloads:
    """Progress payloads in ``integrations.hub.messages.progress_event``'s shape,
    from each dossier's own history (names, units and due times loaded once)."""

    def __init__(self, dossier_ids: list[int]) -> None:
        from django.contrib.auth import get_user_model

        from dossiers.models import Dossier
        from tthc_portal.agencies.models import Agency

        self.dossiers = {}
        for start in range(0, len(dossier_ids), 5000):
            rows = Dossier.objects.filter(pk__in=dossier_ids[start : start + 5000])
            for pk, unit, due in rows.values_list("pk", "processing_agency_id", "due_at"):
                self.dossiers[pk] = (unit, due)
            rows.update(sync_status="pending")  # never synced, as after an outage
        self.units = dict(Agency.objects.values_list("pk", "name"))
        self.names = {u.pk: u.display_name for u in get_user_model().objects.all()}

    def rows(self, target, dossier_id: int, events, first_seq: int, now) -> list:
        """Progress rows ``first_seq``.. and the dossier's pending header row."""
        from dossiers.workflow import TRANSITIONS
        from integrations.hub.messages import wire_time
        from integrations.models import SyncEvent

        unit, due = self.dossiers[dossier_id]
        rows = []
        for seq, (national, at, action, actor) in enumerate(events, start=first_seq):
            transition = TRANSITIONS.get(action)
            payload = {
                "NguoiXuLy": self.names.get(actor, "Hệ thống"), "ChucDanh": "",
                "PhongBanXuLy": self.units.get(unit, ""), "ThoiDiemXuLy": wire_time(at),
                "NoiDungXuLy": str(transition.label) if transition else action,
                "TrangThai": str(national), "NgayBatDau": wire_time(at),
                "NgayKetThucTheoQuyDinh": wire_time(due),
            }  # fmt: skip
            rows.append(SyncEvent(target=target, dossier_id=dossier_id, kind="progress", seq=seq,
                                  national_status=national, payload=payload, occurred_at=now,
                                  next_attempt_at=now))  # fmt: skip
        rows.append(SyncEvent(target=target, dossier_id=dossier_id, kind="header",
                              seq=first_seq + len(events) - 1, occurred_at=now,
                              next_attempt_at=now))  # fmt: skip
        return rows


def _reset(target_url: str, dossier_ids: list[int]):
    """A fresh hub target (an earlier run's goes, its rows with it); dossiers never synced."""
    from integrations.models import DossierSync, SyncAttempt, SyncEvent, SyncTask, Target
    from integrations.secrets import secret_encrypt

    old = Target.objects.filter(kind="hub")
    SyncEvent.objects.filter(target__in=old).delete()
    SyncAttempt.objects.filter(target__in=old).delete()
    old.delete()
    for start in range(0, len(dossier_ids), 5000):
        chunk = dossier_ids[start : start + 5000]
        DossierSync.objects.filter(dossier_id__in=chunk).delete()
        SyncTask.objects.filter(dossier_id__in=chunk).delete()
    target = Target.objects.create(
        code="dvcqg-bench", kind="hub", name="Cổng DVCQG (mô phỏng, đo hiệu năng)",
        base_url=target_url, transport="rest",
    )  # fmt: skip
    target.credentials.create(agency=None, unit_code="", username="tinh-bench",
                              secret_encrypted=secret_encrypt("mat-khau-bench"))  # fmt: skip
    return target


def _lag(target, since) -> tuple[int, float, float, float]:
    """(events, p50, p95, max) seconds acknowledged − queued (percentile_cont on PostgreSQL)."""
    from django.db import connection
    from django.db.models import Aggregate, Count, F, FloatField, Func, Max

    from integrations.models import SyncEvent

    rows = SyncEvent.objects.filter(target=target, kind="progress", status="sent",
                                    occurred_at__gte=since)  # fmt: skip
    if connection.vendor == "postgresql":

        class Percentile(Aggregate):
            function = "percentile_cont"
            template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
            output_field = FloatField()

        lag = Func(F("acked_at") - F("occurred_at"), template="EXTRACT(EPOCH FROM %(expressions)s)",
                   output_field=FloatField())  # fmt: skip
        got = rows.aggregate(n=Count("pk"), p50=Percentile(lag, fraction=0.5),
                             p95=Percentile(lag, fraction=0.95), top=Max(lag))  # fmt: skip
        return got["n"], *(got[k] or 0.0 for k in ("p50", "p95", "top"))
    lags = sorted((a - o).total_seconds() for a, o in rows.values_list("acked_at", "occurred_at"))
    lags = lags or [0.0]  # nothing acknowledged: the hub check says so
    return len(lags), statistics.median(lags), lags[int(len(lags) * 0.95)], lags[-1]


def _hub_counts(control) -> tuple[int, ...]:
    return tuple(control.health()[key] for key in ("dossiers", "events"))


def _drainer(mode: str, stop, results) -> None:  # a forked process: its own connection
    from django.db import connection

    from integrations.sync.sender import sync_drain

    totals = Counter(idle=0)
    while True:
        drained = sync_drain(limit=DRAIN_LIMIT)
        totals.update(drains=1, dossiers=drained.dossiers, sent=drained.sent)
        totals.update(drained.outcomes)
        if mode == "backlog" and drained.dossiers == 0:
            break  # nothing due: the other drainer holds whatever is left
        if mode == "steady" and drained.sent == 0 and stop.is_set():
            break
        if mode == "steady" and drained.sent == 0:
            totals["idle"] += 1
            time.sleep(IDLE_SLEEP)
    connection.close()
    results.put(totals)


def _drainers(mode: str):
    """``WORKERS`` forked drainers (like Celery's prefork pool); returns their join()."""
    import multiprocessing

    from django.db import connections

    from integrations.links import file_link

    file_link("c", 0)  # workers are long-lived: the URL map is built before they fork
    connections.close_all()  # never share a connection across fork
    context = multiprocessing.get_context("fork")
    stop, results = context.Event(), context.Queue()
    processes = [context.Process(target=_drainer, args=(mode, stop, results))
                 for _ in range(WORKERS)]  # fmt: skip
    for process in processes:
        process.start()

    def join() -> str:
        stop.set()
        totals: Counter = Counter()
        for _ in processes:
            totals.update(results.get())
        for process in processes:
            process.join()
        return ", ".join(f"{key} {value:,}" for key, value in sorted(totals.items()))

    return join


def _check(target, control, before, chosen, since, progress_calls: int | None) -> str:
    """Hub holds exactly what was queued, nothing left, one create per dossier (none twice)."""
    from integrations.models import SyncAttempt, SyncEvent

    dossiers, events = _hub_counts(control)
    got = dossiers - before[0], events - before[1]
    expected = len(chosen), sum(len(e) for _pk, e in chosen)
    left = SyncEvent.objects.filter(target=target).exclude(status="sent").count()
    calls = SyncAttempt.objects.filter(target=target, at__gte=since)
    progress, creates = (calls.filter(operation=o).count() for o in ("progress", "create"))
    failed = calls.exclude(reply_class="ok").count()
    ok = got == expected and left == failed == 0 and creates == len(chosen)
    ok = ok and progress_calls in (None, progress)
    wanted = f" (expected {progress_calls:,})" if progress_calls else ""
    ms = sorted(calls.exclude(operation="token").values_list("latency_ms", flat=True))
    return (f"{'OK' if ok else 'MISMATCH'} — hub +{got[0]:,} dossiers (expected "
            f"{expected[0]:,}), +{got[1]:,} events (expected {expected[1]:,}); {left} rows "
            f"unsent; {creates:,} create and {progress:,} progress calls{wanted}, {failed} "
            f"failed; the hub answered in median {statistics.median(ms):.1f} ms, p95 "
            f"{ms[int(len(ms) * 0.95)]:.1f} ms")  # fmt: skip


def _backlog(target, control, chosen, payloads: Payloads) -> list[tuple[str, str]]:
    from django.utils import timezone

    from integrations.models import SyncEvent

    queued_at, started, count = timezone.now(), time.perf_counter(), 0
    for start in range(0, len(chosen), 2000):
        now = timezone.now()
        rows = [row for pk, events in chosen[start : start + 2000]
                for row in payloads.rows(target, pk, events, 1, now)]  # fmt: skip
        SyncEvent.objects.bulk_create(rows, batch_size=2000)
        count += len(rows)
    queueing = time.perf_counter() - started
    events = sum(len(e) for _pk, e in chosen)
    before = _hub_counts(control)
    started = time.perf_counter()
    outcomes = _drainers("backlog")()
    wall = time.perf_counter() - started
    n, p50, p95, top = _lag(target, queued_at)
    verdict = "meets" if events / wall >= TARGET_RATE else "MISSES"
    return [
        ("queued", f"{events:,} progress events + {len(chosen):,} header rows = {count:,} rows "
                   f"for {len(chosen):,} dossiers in {queueing:.1f} s"),
        ("drained", f"{wall:.1f} s by {WORKERS} processes × sync_drain(limit={DRAIN_LIMIT}): "
                    f"{events / wall:,.0f} events/s, {count / wall:,.0f} rows/s, "
                    f"{len(chosen) / wall:,.0f} dossiers/s — {verdict} the ≥ {TARGET_RATE} "
                    "events/s target"),
        ("lag queued → acknowledged", f"p50 {p50:.1f} s, p95 {p95:.1f} s, max {top:.1f} s over "
                                      f"{n:,} events (time spent waiting in the backlog)"),
        ("drain outcomes", outcomes),
        ("hub check", _check(target, control, before, chosen, queued_at, len(chosen))),
    ]  # fmt: skip


def _steady(target, control, chosen, payloads: Payloads) -> list[tuple[str, str]]:
    from django.utils import timezone

    from integrations.models import SyncEvent

    # Transitions in arrival order: every dossier's first event, then every second one, …
    arrivals = [(pk, i + 1, events[i]) for i in range(max(len(e) for _pk, e in chosen))
                for pk, events in chosen if i < len(events)]  # fmt: skip
    per_tick = max(1, round(STEADY_RATE * STEADY_TICK))
    before = _hub_counts(control)
    join = _drainers("steady")
    since, started = timezone.now(), time.perf_counter()
    for tick, first in enumerate(range(0, len(arrivals), per_tick)):
        time.sleep(max(0.0, started + tick * STEADY_TICK - time.perf_counter()))
        now = timezone.now()
        rows = [row for pk, seq, event in arrivals[first : first + per_tick]
                for row in payloads.rows(target, pk, [event], seq, now)]  # fmt: skip
        SyncEvent.objects.bulk_create(rows, ignore_conflicts=True)
    produced = time.perf_counter() - started
    pending = SyncEvent.objects.filter(target=target, status__in=["pending", "sending"])
    deadline = time.monotonic() + 120
    while pending.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    outcomes = join()
    n, p50, p95, top = _lag(target, since)
    return [
        ("arrivals", f"{len(arrivals):,} transitions (a progress and a header row each) for "
                     f"{len(chosen):,} dossiers over {produced:.1f} s "
                     f"({len(arrivals) / produced:,.0f} events/s, {per_tick} every "
                     f"{STEADY_TICK} s)"),
        ("lag queued → acknowledged", f"p50 {p50 * 1000:,.0f} ms, p95 {p95 * 1000:,.0f} ms, "
                                      f"max {top * 1000:,.0f} ms over {n:,} events "
                                      f"(drainers poll every {IDLE_SLEEP} s when idle)"),
        ("drain outcomes", outcomes),
        ("hub check", _check(target, control, before, chosen, since, None)),
    ]  # fmt: skip


def _direct(target, control, chosen, payloads: Payloads) -> list[tuple[str, str]]:
    from django.db import reset_queries
    from django.utils import timezone

    from integrations.models import SyncAttempt, SyncEvent
    from integrations.sync.sender import sync_dossier_send

    before = _hub_counts(control)
    since = timezone.now()
    samples, queries, outcomes = [], 0, Counter()
    for pk, events in chosen:
        SyncEvent.objects.bulk_create(payloads.rows(target, pk, events, 1, timezone.now()))
        reset_queries()
        start = time.perf_counter()
        with count_queries() as captured:
            outcomes[sync_dossier_send(pk)] += 1
        samples.append(time.perf_counter() - start)
        queries += len(captured.captured_queries)
    samples.sort()
    n, p50, p95, _top = _lag(target, since)  # max: the first call fetches a token
    http = SyncAttempt.objects.filter(target=target, at__gte=since).exclude(operation="token")
    done = ", ".join(f"{outcome} {n:,}" for outcome, n in outcomes.items())
    return [
        ("sync_dossier_send after queueing", f"median {statistics.median(samples) * 1000:.1f} ms, "
                                             f"p95 {samples[int(len(samples) * 0.95)] * 1000:.1f}"
                                             f" ms over {len(samples):,} dossiers "
                                             f"({sum(len(e) for _pk, e in chosen):,} events)"),
        ("lag queued → acknowledged", f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
                                      f"({n:,} events; acked_at is stamped when the dossier's "
                                      "send starts)"),
        ("per dossier", f"{queries / len(chosen):.1f} SQL statements (BEGIN/COMMIT included), "
                        f"{http.count() / len(chosen):.1f} HTTP calls; outcomes: {done}"),
        ("hub check", _check(target, control, before, chosen, since, len(chosen))),
    ]  # fmt: skip


def run() -> None:
    from django.db import connection

    from dossiers.models import Dossier
    from integrations.simulator.process import HubProcess
    from synthetic import generate

    started = time.perf_counter()  # ~4.5 events per received dossier, a margin besides:
    wanted = int((EVENTS + STEADY_RATE * STEADY_SECONDS) / 4.5 * 1.1) + DIRECT
    have = Dossier.objects.filter(code__isnull=False).count()
    if have < wanted:
        made = generate(count=int((wanted - have) / 0.9) + 100, log=lambda _line: None)
        report("Dossier data for the sync benchmark", [("generated", f"{made.dossiers:,} "
               f"dossiers in {made.seconds:.0f} s (synthetic)")])  # fmt: skip
    backlog = _select(EVENTS)
    steady = _select(STEADY_RATE * STEADY_SECONDS, after=backlog[-1][0])
    direct = _select(DIRECT * 20, after=steady[-1][0], dossiers=DIRECT)
    everything = [pk for pk, _e in (*backlog, *steady, *direct)]
    with tempfile.TemporaryDirectory(prefix="bench-hub-") as scratch:
        hub = HubProcess(Path(scratch) / "state.json").start()
        try:
            target = _reset(hub.url, everything)
            payloads = Payloads(everything)
            if connection.vendor != "postgresql":
                print("  (SQLite: figures are indicative only; set DATABASE_URL to PostgreSQL)")
            report(f"Sync backlog: {EVENTS:,} queued events drained against the hub simulator "
                   f"(target ≥ {TARGET_RATE} events/s)",
                   _backlog(target, hub.control, backlog, payloads))  # fmt: skip
            # The hub forgets the backlog (it rewrites its state file under its lock) and the
            # outbox tables are vacuumed, as a live system's autovacuum keeps them.
            hub.control.reset()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for table in ("integrations_syncevent", "integrations_syncattempt",
                                  "integrations_dossiersync", "dossiers_dossier"):  # fmt: skip
                        cursor.execute(f'VACUUM (ANALYZE) "{table}"')
            report(f"Sync steady state: {STEADY_RATE} events/s for {STEADY_SECONDS} s, "
                   f"{WORKERS} drainers (hub records reset, outbox tables vacuumed first)",
                   _steady(target, hub.control, steady, payloads))  # fmt: skip
            report(f"Sync direct path: after-commit dispatch, {len(direct):,} dossiers one by one",
                   _direct(target, hub.control, direct, payloads))  # fmt: skip
        finally:
            hub.stop()
    print(f"\n  sync benchmarks: {time.perf_counter() - started:.0f} s in all")
