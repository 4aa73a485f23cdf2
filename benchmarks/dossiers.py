"""A million dossiers: officer worklists, the deadline sweep, desk receptions.

Data: ``synthetic`` (``manage.py generate_dossiers``) fills the kept
benchmark database up to 1,000,000 dossiers, 200,000 of them open (the sweep's
working set), and is reused on later runs. PostgreSQL is the point:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tthc make bench

(the harness creates and keeps ``test_tthc``). Celery is pointed at an
in-memory broker with eager execution off, so the documents and messages a
reception queues after commit are sent without being rendered in-process.

Targets: worklist p95 ≤ 150 ms with the same query count at every page size;
sweep ≤ 2 s; ≥ 100 receptions per second.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date, datetime, timedelta
from datetime import time as time_of_day

from django.utils import timezone

from .harness import count_queries, measure, report, signed_in_client

TARGET = int(os.environ.get("BENCH_DOSSIERS", "1000000"))
OPEN_TARGET = int(os.environ.get("BENCH_OPEN_DOSSIERS", "200000"))
RECEPTIONS = int(os.environ.get("BENCH_RECEPTIONS", "1000"))
RUNS = int(os.environ.get("BENCH_WORKLIST_RUNS", "200"))


def _celery_in_memory() -> None:
    from tthc_portal.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    app.conf.result_backend = "cache+memory://"


def _ensure_data() -> list[tuple[str, str]]:
    from dossiers.models import OPEN_STATUSES, Dossier
    from synthetic import generate

    rows = []
    existing = Dossier.objects.count()
    if existing < TARGET:
        result = generate(count=TARGET - existing, open_share=min(0.5, OPEN_TARGET / TARGET))
        rows.append(("generated", f"{result.dossiers:,} dossiers, {result.rows:,} rows in "
                                  f"{result.seconds:.0f} s ({result.rows / result.seconds:,.0f} "
                                  "rows/s)"))  # fmt: skip
    open_count = Dossier.objects.filter(status__in=OPEN_STATUSES).count()
    if open_count < OPEN_TARGET:
        result = generate(count=OPEN_TARGET - open_count, only="open")
        rows.append(("open dossiers added", f"{result.dossiers:,} in {result.seconds:.0f} s"))
    return rows


def _busiest(role: str, rank: float = 0.0):
    """The officer holding the most open steps in ``role`` (for heads: whose unit holds
    the most); ``rank`` 0.5 picks the median unit instead of the busiest."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from dossiers.models import DossierStep
    from tthc_portal.accounts.roles import Role
    from tthc_portal.agencies.models import Agency
    from tthc_portal.agencies.selectors import staff_with_role

    open_steps = DossierStep.objects.filter(completed_at__isnull=True)
    if role == Role.SPECIALIST:
        top = open_steps.filter(role=role).values("assignee").annotate(n=Count("pk"))
        top = top.order_by("-n").first()
        return get_user_model().objects.get(pk=top["assignee"]), top["n"]
    units = list(open_steps.values("agency").annotate(n=Count("pk")).order_by("-n"))
    top = units[int((len(units) - 1) * rank)]
    agency = Agency.objects.get(pk=top["agency"])
    return staff_with_role(agency, Role.DEPARTMENT_HEAD).order_by("pk").first(), top["n"]


def _worklists() -> None:
    from django.contrib.auth import get_user_model
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from dossiers.models import Dossier, DossierStep
    from dossiers.selectors_processing import (
        CountedPaginator,
        summary_count,
        worklist,
        worklist_summary,
    )
    from tthc_portal.accounts.roles import Role

    _vacuum(Dossier, DossierStep)

    specialist, held = _busiest(Role.SPECIALIST)
    head, queue = _busiest(Role.DEPARTMENT_HEAD)
    typical, typical_queue = _busiest(Role.DEPARTMENT_HEAD, rank=0.5)
    cases = [
        (f"specialist, my steps ({held:,} open)", specialist, "cua-toi", "", "mine"),
        (f"head, busiest unit queue ({queue:,} open)", head, "don-vi", "", "agency"),
        ("head, busiest unit queue, overdue filter", head, "don-vi", "qua-han", "agency"),
        (f"head, median unit queue ({typical_queue:,} open)", typical, "don-vi", "", "agency"),
    ]
    try:
        url = reverse("processing:worklist")
    except NoReverseMatch:
        url = None
    user_model = get_user_model()

    def selector_page(user_pk: int, scope: str, bucket: str, size: int) -> list[tuple]:
        # What the page shows, read the way the view reads it (user loaded per request).
        user = user_model.objects.get(pk=user_pk)
        now = timezone.now()
        summary = worklist_summary(user, scope=scope, now=now)
        steps = worklist(user, scope=scope, bucket=bucket, now=now)
        count = summary_count(summary, bucket=bucket)
        page = CountedPaginator(steps, size, count=count).get_page(1)
        return [(s.dossier.code, s.dossier.procedure_version.name, s.dossier.applicant_name,
                 s.name, s.agency.name, s.assignee.display_name if s.assignee else "",
                 s.due_at, s.light, summary.total) for s in page]  # fmt: skip

    rows = []
    for label, user, scope_slug, bucket_slug, scope in cases:
        bucket = {"qua-han": "overdue"}.get(bucket_slug, "")
        counts = {}
        selector_page(user.pk, scope, bucket, 20)  # warm the per-process caches first
        for size in (20, 100):
            with count_queries() as queries:
                selector_page(user.pk, scope, bucket, size)
            counts[size] = len(queries.captured_queries)
        stats = measure(lambda u=user.pk, s=scope, b=bucket: selector_page(u, s, b, 20),
                        repeat=RUNS)  # fmt: skip
        rows.append((f"{label}: selector, 20 rows",
                     f"median {stats['median_ms']:.1f} ms, p95 {stats['p95_ms']:.1f} ms; "
                     f"queries {counts[20]} (20 rows) / {counts[100]} (100 rows)"))  # fmt: skip
        if url is None:
            continue
        client = signed_in_client(user)
        query = {"pham_vi": scope_slug, **({"muc": bucket_slug} if bucket_slug else {})}
        for size in (25, 100):
            response = client.get(url, {**query, "so_dong": size})
            assert response.status_code == 200, (url, response.status_code)
            with count_queries() as queries:
                client.get(url, {**query, "so_dong": size})
            counts[size] = len(queries.captured_queries)
        stats = measure(lambda c=client, q=query: c.get(url, {**q, "so_dong": 25}), repeat=RUNS)
        rows.append((f"{label}: page {url}",
                     f"median {stats['median_ms']:.1f} ms, p95 {stats['p95_ms']:.1f} ms; "
                     f"queries {counts[25]} (25 rows) / {counts[100]} (100 rows)"))  # fmt: skip
    report(f"Officer worklists ({RUNS} runs each; target p95 ≤ 150 ms, queries independent "
           "of page size)", rows)  # fmt: skip


def _sweep_instants() -> list[tuple[str, datetime, datetime]]:
    """Fixed moments of the last working day (today when it is one), so a run on
    a Sunday measures what a run on a Tuesday does: (label, previous sweep, now)."""
    from tthc_portal.workdays.services import get_calendar

    calendar = get_calendar()
    day = timezone.localdate()
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    previous_day = day - timedelta(days=1)
    while not calendar.is_working_day(previous_day):
        previous_day -= timedelta(days=1)
    tz = timezone.get_current_timezone()

    def at(on: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(on, time_of_day(hour, minute), tzinfo=tz)

    closing = calendar.closing_of(day)
    return [
        ("routine run, mid-morning (previous sweep 10 minutes earlier)",
         at(day, 9, 50), at(day, 10)),
        ("routine run at closing time, when the day's deadlines fall due",
         closing - timedelta(minutes=10), closing),
        ("catch-up after a whole working day without sweeps",
         at(previous_day, 10), at(day, 10)),
    ]  # fmt: skip


def _vacuum(*models) -> None:
    """What autovacuum keeps a live database at (dossiers migration 0011): the
    benchmark's own flag resets leave dead rows a live system would not have."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')


def _sweep() -> None:
    from django.db import DatabaseError

    from dossiers.models import FLAGGED, OPEN_STATUSES, Dossier
    from dossiers.services.overdue import deadlines_sweep

    open_count = Dossier.objects.filter(status__in=OPEN_STATUSES).count()
    rows = []
    for label, settled, now in _sweep_instants():
        # Flags as the previous run left them: cleared, then swept at ``settled``.
        Dossier.objects.filter(FLAGGED).update(due_soon=False, is_overdue=False)
        results = []
        try:
            deadlines_sweep(settled)
            _vacuum(Dossier)
            for _run in range(2):
                start = time.perf_counter()
                swept = deadlines_sweep(now)
                results.append((time.perf_counter() - start, swept))
        except DatabaseError as error:  # reported, so the other benchmarks still run
            rows.append((label, f"FAILED: {type(error).__name__}: {str(error).strip()}"))
            continue
        (first, one), (second, two) = results
        flips = (
            f"{one.dossiers_due_soon:,} due soon, {one.dossiers_overdue:,} overdue, "
            f"{one.heads_notified:,} heads told"
        )
        rows.append((label, f"{timezone.localtime(now):%a %d/%m %H:%M}: "
                            f"{first * 1000:,.0f} ms — {flips}"))  # fmt: skip
        flipped = two.flipped
        rows.append(("  run again at once", f"{second * 1000:,.0f} ms — flipped {flipped} "
                                            "(must be 0)"))  # fmt: skip
    report(f"Deadline sweep over {open_count:,} open dossiers (target ≤ 2 s; tables vacuumed "
           "after the setup, as autovacuum keeps them)", rows)  # fmt: skip


def _submitted_batch() -> list[tuple[int, int]]:
    """RECEPTIONS fresh online dossiers waiting at the desk: (dossier id, desk officer id)."""
    from dossiers.models import Dossier, Status
    from synthetic import generate
    from tthc_portal.accounts.roles import Role
    from tthc_portal.agencies.models import StaffMembership

    prepared = generate(count=RECEPTIONS, only="submitted", log=lambda _line: None)
    rows = list(
        Dossier.objects.filter(
            pk__range=(prepared.first_id, prepared.last_id), status=Status.SUBMITTED
        )
        .order_by("pk")
        .values_list("pk", "receiving_agency_id")
    )
    desks: dict[int, int] = {}
    for agency_id, user_id in StaffMembership.objects.filter(
        role=Role.DESK_OFFICER, agency_id__in={agency for _pk, agency in rows}
    ).values_list("agency_id", "user_id"):
        desks.setdefault(agency_id, user_id)
    return [(pk, desks[agency]) for pk, agency in rows]


def _receive_all(batch: list[tuple[int, int]]) -> list[float]:
    """Receive each dossier as its desk officer's request would: user and
    dossier loaded, then the service. Returns the service's seconds per call."""
    from django.contrib.auth import get_user_model

    from dossiers.models import Dossier
    from dossiers.services.reception import dossier_receive

    user_model = get_user_model()
    samples = []
    for dossier_id, user_id in batch:
        actor = user_model.objects.get(pk=user_id)
        dossier = Dossier.objects.get(pk=dossier_id)
        start = time.perf_counter()
        dossier_receive(actor=actor, dossier=dossier)
        samples.append(time.perf_counter() - start)
    return samples


def _worker(batch, results) -> None:  # a forked process: its own connection
    results.put(_receive_all(batch))


def _receive_in_parallel(batch: list[tuple[int, int]], workers: int) -> tuple[list[float], float]:
    """``workers`` desks at once, as the portal's application processes serve
    them: forked processes, each with its own database connection."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # never share a connection across fork
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    processes = [
        context.Process(target=_worker, args=(batch[i::workers], results)) for i in range(workers)
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    samples = [sample for _ in processes for sample in results.get()]
    for process in processes:
        process.join()
    return samples, time.perf_counter() - started


def _receptions() -> None:
    from dossiers.models import Dossier, Status

    workers = max(2, os.cpu_count() or 2)
    rows = []
    received_all, total = 0, 0
    for label, parallel in (("one desk at a time", 1), (f"{workers} desks at once", workers)):
        batch = _submitted_batch()
        if parallel == 1:
            started = time.perf_counter()
            samples = _receive_all(batch)
            wall = time.perf_counter() - started
        else:
            samples, wall = _receive_in_parallel(batch, parallel)
        samples.sort()
        received_all += Dossier.objects.filter(
            pk__in=[pk for pk, _user in batch], status=Status.RECEIVED, code__isnull=False
        ).count()
        total += len(batch)
        rows.append((label, f"{len(samples) / wall:,.0f} receptions/s; latency median "
                            f"{statistics.median(samples) * 1000:.1f} ms, p95 "
                            f"{samples[int(len(samples) * 0.95)] * 1000:.1f} ms, max "
                            f"{samples[-1] * 1000:.0f} ms"))  # fmt: skip
    rows.append(("received with code", f"{received_all:,} of {total:,}"))
    report(f"Desk receptions through dossier_receive ({RECEPTIONS:,} online dossiers per run; "
           "target ≥ 100/s; wall-clock rate, user and dossier loaded per request)",
           rows)  # fmt: skip


def run() -> None:
    from django.db import connection

    _celery_in_memory()
    started = time.perf_counter()
    prepared = _ensure_data()
    if prepared:
        report("Dossier data (synthetic)", prepared)
    if connection.vendor != "postgresql":
        print("  (SQLite: figures are indicative only; set DATABASE_URL to PostgreSQL)")
    _worklists()
    _sweep()
    _receptions()
    print(f"\n  dossier benchmarks: {time.perf_counter() - started:.0f} s in all")
