"""Queue tickets: 20 counters press "next" at the same instant.

A centre with ``BENCH_QUEUE_COUNTERS`` (20) counters serving one service group
(interleaved priority, 1 priority ticket in 6) gets a backlog of waiting tickets;
then, ``BENCH_QUEUE_ROUNDS`` (50) times, one thread per counter (each with its
own database connection) is released by a barrier and calls ``ticket_call_next``
— which also completes the counter's previous ticket. Reported: latency of one
call, time until all 20 calls of a burst returned, calls per second, and that no
ticket was called twice. Meaningful on PostgreSQL (SKIP LOCKED); SQLite
serialises the writers. Everything the benchmark creates is deleted at the end.
"""

from __future__ import annotations

import os
import statistics
import threading
import time

from .harness import report

COUNTERS = int(os.environ.get("BENCH_QUEUE_COUNTERS", "20"))
ROUNDS = int(os.environ.get("BENCH_QUEUE_ROUNDS", "50"))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def _setup():
    from django.utils import timezone

    from queueing.defaults import ensure_all
    from queueing.models import Counter, PriorityClass, ServiceGroup, Ticket
    from tthc_portal.accounts.models import UserKind
    from tthc_portal.accounts.roles import Role
    from tthc_portal.agencies.models import Agency, AgencyKind, OneStopDesk
    from tthc_portal.agencies.services import membership_grant, roles_sync

    ensure_all()
    roles_sync()
    desk = OneStopDesk.objects.create(name="Trung tâm đo hiệu năng xếp hàng")
    agency = Agency.objects.create(
        name="Sở đo hiệu năng xếp hàng", code=f"BENCHQ.{int(time.time())}",
        kind=AgencyKind.DEPARTMENT, one_stop_desk=desk,
    )  # fmt: skip
    group = ServiceGroup.objects.create(centre=desk, letter="Q", name="Đo hiệu năng",
                                        agency=agency, interleave_normal=5)  # fmt: skip
    counters = [Counter.objects.create(centre=desk, number=n, agency=agency)
                for n in range(1, COUNTERS + 1)]  # fmt: skip
    for counter in counters:
        counter.service_groups.add(group)
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.create(
        username=f"bench-queue-{int(time.time())}", kind=UserKind.STAFF, full_name="Đo hiệu năng"
    )
    membership_grant(actor=None, user=officer, agency=agency, role=Role.DESK_OFFICER)
    elderly = PriorityClass.objects.get(code="nguoi-cao-tuoi")
    now, today = timezone.now(), timezone.localdate()
    backlog = COUNTERS * ROUNDS + COUNTERS
    Ticket.objects.bulk_create(
        Ticket(centre=desk, service_group=group, day=today, number=n, label=f"Q{n:04d}",
               priority_class=elderly if n % 6 == 0 else None,
               priority_weight=elderly.weight if n % 6 == 0 else 0, source="kiosk",
               issued_at=now - timezone.timedelta(seconds=backlog - n))
        for n in range(1, backlog + 1)
    )  # fmt: skip
    return desk, agency, group, counters, officer


def _cleanup(desk, agency, group, counters, officer) -> None:
    from queueing.models import Counter, ServiceGroup, Ticket, TicketDaySequence, TicketEvent
    from tthc_portal.agencies.models import StaffMembership

    ticket_ids = list(Ticket.objects.filter(centre=desk).values_list("pk", flat=True))
    TicketEvent.objects.filter(ticket_id__in=ticket_ids).delete()
    Ticket.objects.filter(pk__in=ticket_ids).delete()
    TicketDaySequence.objects.filter(service_group=group).delete()
    Counter.objects.filter(centre=desk).delete()
    ServiceGroup.objects.filter(pk=group.pk).delete()
    # Audit rows are append-only (a trigger on PostgreSQL) and stay; the agency and
    # the centre stay too (guardian groups refer to the agency).
    StaffMembership.objects.filter(user=officer).delete()


def _press(counter, officer, barrier, lock, latencies, called, errors) -> None:
    """One counter: ROUNDS times, wait for the others, press "next"."""
    from django.db import connections

    from queueing.services.tickets import ticket_call_next

    try:
        for _ in range(ROUNDS):
            barrier.wait(timeout=120)
            start = time.perf_counter()
            ticket = ticket_call_next(actor=officer, counter=counter)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if ticket is not None:
                    called.append(ticket.pk)
            barrier.wait(timeout=120)
    except BaseException as exc:  # reported by the caller
        errors.append(repr(exc))
        barrier.abort()
    finally:
        connections.close_all()


def run() -> None:
    """``BENCH_QUEUE_MODE=processes`` (default): one forked process per counter,
    as officers' requests land on separate application-server workers; each has
    its own connection and no shared interpreter lock. ``threads``: one process."""
    import multiprocessing

    from django.db import connection, connections

    from queueing.models import Ticket, TicketEvent

    mode = os.environ.get("BENCH_QUEUE_MODE", "processes")
    desk, agency, group, counters, officer = _setup()
    if mode == "threads":
        barrier, lock = threading.Barrier(COUNTERS + 1), threading.Lock()
        latencies, called, errors = [], [], []
        shared = (barrier, lock, latencies, called, errors)
        workers = [threading.Thread(target=_press, args=(c, officer, *shared)) for c in counters]
    else:
        connections.close_all()  # never share a connection across fork
        context = multiprocessing.get_context("fork")
        manager = context.Manager()
        barrier, lock = context.Barrier(COUNTERS + 1), context.Lock()
        latencies, called, errors = manager.list(), manager.list(), manager.list()
        shared = (barrier, lock, latencies, called, errors)
        workers = [context.Process(target=_press, args=(c, officer, *shared)) for c in counters]
    bursts: list[float] = []
    for worker in workers:
        worker.start()
    total_start = time.perf_counter()
    try:
        for _ in range(ROUNDS):
            barrier.wait(timeout=120)
            start = time.perf_counter()
            barrier.wait(timeout=120)
            bursts.append((time.perf_counter() - start) * 1000)
    except threading.BrokenBarrierError:
        pass
    total = time.perf_counter() - total_start
    for worker in workers:
        worker.join()
    latencies, called, errors = list(latencies), list(called), list(errors)
    calls = len(latencies)
    duplicates = len(called) - len(set(called))
    call_events = TicketEvent.objects.filter(ticket__centre=desk, action="call").count()
    rows = [
        ("database, mode", f"{connection.vendor}, {mode}"),
        ("counters pressing at once × rounds", f"{COUNTERS} × {ROUNDS} = {calls} calls"),
        ("one call (completes the previous ticket, calls the next)",
         f"median {statistics.median(latencies):.1f} ms, p95 {_p95(latencies):.1f} ms"
         if latencies else "—"),
        (f"burst of {COUNTERS} simultaneous calls, until the last returns",
         f"median {statistics.median(bursts):.1f} ms, p95 {_p95(bursts):.1f} ms"
         if bursts else "—"),
        ("throughput", f"{calls / total:,.0f} calls per second ({total:.1f} s)"),
        ("tickets called / twice / call events",
         f"{len(called)} / {duplicates} / {call_events}"),
        ("errors", str(len(errors)) + (f" (first: {errors[0]})" if errors else "")),
        ("load average at the end", " ".join(f"{x:.1f}" for x in os.getloadavg())),
    ]  # fmt: skip
    report(f"Queue: {COUNTERS} counters call the next ticket at the same instant", rows)
    assert Ticket.objects.filter(centre=desk).exists()
    _cleanup(desk, agency, group, counters, officer)
