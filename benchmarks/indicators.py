"""Decision 766: one month for the whole province on about 1,000,000 dossiers.

Times ``indicators.engine.compute`` (every active unit and the pooled
province, every criterion) against one hand-written SQL aggregate over the
same dossier rows computing the core counts (per receiving unit: received,
2.1 denominator and on time, online with e-result, with e-result), prints
both medians, their ratio and the engine's query count, and checks that the
two agree on those counts; then the last complete quarter (one pass over its
range, not three months) and the forecast for the open month. Targets
(issue #14): engine ≤ 1.5× the hand-written SQL, quarter ≤ 3× the month,
forecast ≤ 2.5 s.

PostgreSQL only (``DATABASE_URL``); the data comes from
``manage.py generate_dossiers`` and is kept between runs (keepdb).
``BENCH_INDICATOR_DOSSIERS`` changes the target size.
"""

from __future__ import annotations

import datetime
import os

from indicators.criteria import Code

from .harness import count_queries, measure, report

TARGET = int(os.environ.get("BENCH_INDICATOR_DOSSIERS", "1000000"))
REPEAT = int(os.environ.get("BENCH_INDICATOR_REPEAT", "5"))

# The 2.1 rule of indicators-766.md §2 written by hand: end-time priority,
# supplement pauses subtracted, pending request = end time, > 1 request = late,
# open dossiers judged at the period end. Aggregates are restricted to the
# candidate dossiers first, so nothing outside the period is read twice.
# "Online" (3.3, §2 "Online dossier") needs, for a paper-result procedure, the
# e-result the hub acknowledged (result code + file link: DossierSync.result_synced),
# as the engine counts it; a result file held only locally (sync retrying or failed)
# does not count (issue #14). "With e-result" stays the local file.
RAW_SQL = """
WITH c AS MATERIALIZED (
    SELECT d.id, d.receiving_agency_id, d.received_at, d.channel,
           d.completed_at, d.returned_at,
           COALESCE(d.original_due_at, d.due_at) AS due, pv.paper_result
    FROM dossiers_dossier d
    JOIN procedures_procedureversion pv ON pv.id = d.procedure_version_id
    WHERE d.received_at < %(until)s
      AND (d.received_at >= %(since)s OR d.completed_at >= %(since)s
           OR (d.completed_at IS NULL AND (d.returned_at IS NULL OR d.returned_at >= %(since)s)))
), req AS (
    SELECT r.dossier_id, COUNT(*) AS n,
           SUM(r.completed_at - r.requested_at) FILTER (WHERE r.completed_at < %(until)s) AS pause,
           MIN(r.requested_at) FILTER (
               WHERE r.completed_at IS NULL OR r.completed_at >= %(until)s) AS pending
    FROM dossiers_supplementrequest r
    WHERE r.stage = 'during_processing' AND r.requested_at < %(until)s
      AND r.dossier_id IN (SELECT id FROM c)
    GROUP BY r.dossier_id
), stop AS (
    SELECT h.dossier_id, MIN(h.at) AS at
    FROM dossiers_statushistory h
    WHERE h.to_status IN ('stopped', 'rejected', 'withdrawn')
      AND h.dossier_id IN (SELECT id FROM c WHERE completed_at IS NULL AND returned_at IS NULL)
    GROUP BY h.dossier_id
), res AS (
    SELECT DISTINCT o.dossier_id
    FROM dossiers_dossierdocument o
    WHERE o.kind = 'kq' AND o.file <> '' AND o.dossier_id IN (SELECT id FROM c)
), hub AS (
    SELECT s.dossier_id
    FROM integrations_dossiersync s
    WHERE s.result_synced AND s.dossier_id IN (SELECT id FROM c WHERE paper_result AND channel = 2)
), rows AS (
    SELECT c.receiving_agency_id, c.received_at >= %(since)s AS received, c.channel,
           c.paper_result, res.dossier_id IS NOT NULL AS e_result,
           hub.dossier_id IS NOT NULL AS result_synced,
           COALESCE(c.completed_at, c.returned_at, stop.at) AS end_at, c.due,
           c.due + COALESCE(req.pause, interval '0') AS deadline,
           COALESCE(req.n, 0) AS n_requests, req.pending
    FROM c
    LEFT JOIN req ON req.dossier_id = c.id
    LEFT JOIN stop ON stop.dossier_id = c.id
    LEFT JOIN res ON res.dossier_id = c.id
    LEFT JOIN hub ON hub.dossier_id = c.id
), judged AS (
    SELECT *,
           (received OR end_at IS NULL OR end_at >= %(since)s) AS in_21,
           CASE
               WHEN n_requests > 1 THEN 0
               WHEN due IS NULL THEN 1
               WHEN pending IS NOT NULL THEN (pending <= deadline)::int
               WHEN end_at < %(until)s THEN (end_at <= deadline)::int
               ELSE (deadline >= %(until)s)::int
           END AS on_time
    FROM rows
)
SELECT receiving_agency_id,
       COUNT(*) FILTER (WHERE received) AS received,
       COUNT(*) FILTER (WHERE in_21) AS d21,
       COUNT(*) FILTER (WHERE in_21 AND on_time = 1) AS n21,
       COUNT(*) FILTER (WHERE received AND channel = 2 AND (NOT paper_result OR result_synced))
           AS online,
       COUNT(*) FILTER (WHERE received AND e_result) AS with_e_result
FROM judged
GROUP BY receiving_agency_id
"""


def _populate(log=print) -> int:
    from django.core.management import call_command, get_commands
    from django.db import connection

    from dossiers.models import Dossier

    existing = Dossier.objects.count()
    if existing < TARGET:
        if "generate_dossiers" not in get_commands():
            raise RuntimeError("manage.py generate_dossiers is missing: cannot build the data")
        log(f"  generating {TARGET - existing:,} dossiers (kept for later runs)…")
        call_command("generate_dossiers", count=TARGET - existing, years=1)
        # Fresh rows: set hint bits and statistics once, not during the first timings.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return Dossier.objects.count()


def _month() -> tuple[datetime.date, datetime.date]:
    """The last complete calendar month (the one a province publishes)."""
    from django.utils import timezone

    first = timezone.localdate().replace(day=1)
    end = first - datetime.timedelta(days=1)
    return end.replace(day=1), end


def _quarter() -> tuple[datetime.date, datetime.date]:
    """The last complete calendar quarter (the one a province publishes)."""
    from django.utils import timezone

    today = timezone.localdate()
    first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    end = first - datetime.timedelta(days=1)
    return end.replace(month=end.month - 2, day=1), end


def _raw(start, end) -> dict[int, tuple[int, ...]]:
    """The hand-written aggregate, with JIT off as the engine runs it (JIT compiling
    such a query costs more than executing it)."""
    from django.db import connection, transaction

    from feedback.selectors import period_bounds

    since, until = period_bounds(start, end)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(RAW_SQL, {"since": since, "until": until})
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def run() -> None:
    from django.db import connection

    from indicators import engine

    if connection.vendor != "postgresql":
        report("Decision 766 indicators", [("skipped", "needs PostgreSQL (set DATABASE_URL)")])
        return
    total = _populate()
    start, end = _month()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with count_queries() as queries:
        results = engine.compute(start, end)
    query_count = len(queries.captured_queries)
    raw = _raw(start, end)

    # The two must agree on the counts they share (pooled over the province).
    province = {r.code: r for r in results if r.agency_id is None}
    pooled = [sum(values[i] for values in raw.values()) for i in range(5)]
    engine_counts = [
        int(province[Code.ONLINE_SHARE].denominator),
        int(province[Code.ON_TIME].denominator),
        int(province[Code.ON_TIME].numerator),
        int(province[Code.ONLINE_SHARE].numerator),
    ]
    agree = engine_counts == pooled[:4]
    units = len({r.agency_id for r in results if r.agency_id is not None})

    engine_stats = measure(lambda: engine.compute(start, end), repeat=REPEAT, warmup=1)
    raw_stats = measure(lambda: _raw(start, end), repeat=REPEAT, warmup=1)
    ratio = engine_stats["median_ms"] / raw_stats["median_ms"]
    q_start, q_end = _quarter()
    with count_queries() as queries:
        engine.compute(q_start, q_end, kind="quarter")
    quarter_queries = len(queries.captured_queries)
    quarter_stats = measure(
        lambda: engine.compute(q_start, q_end, kind="quarter"), repeat=3, warmup=1
    )
    quarter_ratio = quarter_stats["median_ms"] / engine_stats["median_ms"]
    extra = _other_services(start, end)
    report(
        f"Decision 766, {start:%m/%Y} for the whole province "
        f"({total:,} dossiers, {units} units + province, {len(results):,} results)",
        [
            ("engine.compute (all criteria)",
             f"median {engine_stats['median_ms'] / 1000:.2f} s, max "
             f"{engine_stats['max_ms'] / 1000:.2f} s, {query_count} queries "
             f"(n={engine_stats['n']}; target ≤ 5 s)"),
            ("hand-written SQL (core counts, JIT off)",
             f"median {raw_stats['median_ms'] / 1000:.2f} s, max "
             f"{raw_stats['max_ms'] / 1000:.2f} s, 1 query"),
            ("ratio engine / SQL", f"{ratio:.2f}× (target ≤ 1.5×)"),
            (f"engine.compute, quarter {q_start:%m}–{q_end:%m/%Y}",
             f"median {quarter_stats['median_ms'] / 1000:.2f} s, {quarter_queries} queries "
             f"(n={quarter_stats['n']}), {quarter_ratio:.2f}× the month (target ≤ 3×)"),
            ("period dossiers",
             f"received {pooled[0]:,}; 2.1 {pooled[2]:,}/{pooled[1]:,} on time; online with "
             f"e-result {pooled[3]:,}; with e-result {pooled[4]:,}"),
            ("engine and SQL agree", "yes" if agree else f"NO: {engine_counts} vs {pooled[:4]}"),
            *extra,
        ],
    )  # fmt: skip


def _other_services(start, end) -> list[tuple[str, str]]:
    """The periodic report for the same month and the predicted losses of the
    current (open) month, whole province."""
    from indicators.services.periodic_report import periodic_report
    from indicators.services.periods import period_current
    from indicators.services.predicted import predicted_losses

    report_stats = measure(
        lambda: periodic_report(start=start, end=end, group_by="field"), repeat=3, warmup=1
    )
    current = period_current()
    predicted_stats = measure(lambda: predicted_losses(period=current), repeat=3, warmup=1)
    at_risk = predicted_losses(period=current).province.at_risk_count
    freeze_ms, frozen_rows = _freeze(start)
    return [
        ("periodic report by field (same month)",
         f"median {report_stats['median_ms'] / 1000:.2f} s (n=3)"),
        (f"predicted losses, open month {current.label}",
         f"median {predicted_stats['median_ms'] / 1000:.2f} s (n=3), {at_risk:,} dossiers at risk "
         "(target ≤ 2.5 s)"),
        ("publication: compute + freeze the lists (rolled back)",
         f"{freeze_ms / 1000:.2f} s, {frozen_rows:,} frozen items"),
    ]  # fmt: skip


def _freeze(start) -> tuple[float, int]:
    """What publishing the month costs: computing it and storing the items
    behind every score (``FrozenCase``), in a transaction rolled back after."""
    import time

    from django.db import transaction

    from indicators.services import frozen
    from indicators.services.periods import (
        _results_replace,
        period_compute,
        period_get_or_create,
    )

    with transaction.atomic():
        period = period_get_or_create(f"{start:%Y-%m}")
        began = time.perf_counter()
        collector = frozen.DossierCollector(period)
        _results_replace(period, period_compute(period, None, on_rows=collector), None)
        rows = frozen.cases_freeze(period, collector)
        elapsed = (time.perf_counter() - began) * 1000
        transaction.set_rollback(True)
    return elapsed, rows
