"""Decision 766: publishing last month for the whole province (issue #14).

Times the background publication run end to end (``run_execute`` on a run of
kind "publish": recompute, list the failing items, then store the results and
the frozen items and mark the period published in one transaction), and its
stages separately, comparing three ways of storing the frozen items: COPY
(what PostgreSQL uses), multi-row INSERT (``execute_values``) and the
parameterised ``executemany`` the other databases use. Reports frozen rows/s.

Nothing is left behind: every measurement runs inside a transaction rolled
back at the end (the period stays as it was, the publisher user disappears,
and the public cache is not invalidated: on-commit hooks never run).

PostgreSQL only (``DATABASE_URL``), on the kept benchmark database; the data
comes from ``manage.py generate_dossiers`` (``BENCH_PUBLICATION_DOSSIERS``,
default 1,000,000, the indicators benchmark's size).
"""

from __future__ import annotations

import datetime
import os
import time
import uuid

from .harness import report

TARGET = int(os.environ.get("BENCH_PUBLICATION_DOSSIERS", "1000000"))


def _populate() -> int:
    from django.core.management import call_command, get_commands
    from django.db import connection

    from dossiers.models import Dossier

    existing = Dossier.objects.count()
    if existing < TARGET:
        if "generate_dossiers" not in get_commands():
            raise RuntimeError("manage.py generate_dossiers is missing: cannot build the data")
        print(f"  generating {TARGET - existing:,} dossiers (kept for later runs)…")
        call_command("generate_dossiers", count=TARGET - existing, years=1)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return Dossier.objects.count()


def _last_month_label() -> str:
    from django.utils import timezone

    first = timezone.localdate().replace(day=1)
    return f"{first - datetime.timedelta(days=1):%Y-%m}"


def _open_period(label: str):
    """The month, opened if need be and seen as open (inside the caller's
    transaction, which is rolled back)."""
    from indicators.models import PeriodStatus, ReportPeriod
    from indicators.services.periods import period_get_or_create

    period = period_get_or_create(label)
    ReportPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.OPEN, published_at=None)
    period.refresh_from_db()
    return period


def _end_to_end(label: str) -> tuple[float, int, int]:
    """One publication run, as the worker executes it; returns seconds, frozen
    rows and results."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from indicators.models import FrozenCase
    from indicators.services import publication
    from indicators.services.periods import run_execute

    with transaction.atomic():
        user = get_user_model().objects.create(
            username=f"bench-publisher-{uuid.uuid4().hex[:8]}",
            kind="staff",
            is_superuser=True,
            is_active=True,
        )
        period = _open_period(label)
        began = time.perf_counter()
        run = publication._queue(user, period, inline=True)
        run = run_execute(run_id=run.pk)
        elapsed = time.perf_counter() - began
        if run.status != "done":
            raise RuntimeError(f"publication failed: {run.message}")
        frozen_rows = FrozenCase.objects.filter(period=period).count()
        transaction.set_rollback(True)
    return elapsed, frozen_rows, run.results_count


def _stages(label: str) -> list[tuple[str, str]]:
    """Compute, list, then store the same rows three ways (each rolled back)."""
    from django.db import connection, transaction
    from psycopg2.extras import execute_values

    from indicators.services import frozen
    from indicators.services.periods import _results_replace, period_compute

    lines = []
    with transaction.atomic():
        period = _open_period(label)
        began = time.perf_counter()
        collector = frozen.DossierCollector(period)
        results = period_compute(period, None, on_rows=collector)
        computed = time.perf_counter()
        rows = frozen.cases_collect(period, collector)
        listed = time.perf_counter()
        _results_replace(period, results, None)
        stored_results = time.perf_counter()
        lines += [
            ("compute (engine, with the dossier lists)", f"{computed - began:.2f} s"),
            ("list the other failing items", f"{listed - computed:.2f} s, {len(rows):,} rows"),
            ("store the results", f"{stored_results - listed:.2f} s, {len(results):,} results"),
        ]
        table, columns = frozen._sql_names()

        def values(chunk):
            with connection.cursor() as cursor:
                sql = f"INSERT INTO {table} ({columns}) VALUES %s"  # noqa: S608 (constants)
                for first in range(0, len(chunk), frozen.BATCH):
                    execute_values(
                        cursor.cursor, sql, chunk[first : first + frozen.BATCH], page_size=1000
                    )

        for name, store in (
            ("COPY (PostgreSQL path)", frozen._copy),
            ("multi-row INSERT (execute_values)", values),
            ("executemany INSERT (other databases)", frozen._insert),
        ):
            sid = transaction.savepoint()
            start = time.perf_counter()
            store(rows)
            seconds = time.perf_counter() - start
            transaction.savepoint_rollback(sid)
            rate = len(rows) / seconds if seconds else 0
            lines.append((f"freeze: {name}", f"{seconds:.2f} s, {rate:,.0f} rows/s"))
        transaction.set_rollback(True)
    return lines


def run() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        report("Decision 766 publication", [("skipped", "needs PostgreSQL (set DATABASE_URL)")])
        return
    total = _populate()
    label = _last_month_label()
    elapsed, frozen_rows, results = _end_to_end(label)
    report(
        f"Decision 766, publishing {label} in the background ({total:,} dossiers, rolled back)",
        [
            ("publication run (run_execute)",
             f"{elapsed:.2f} s end to end, {frozen_rows:,} frozen items, {results:,} results, "
             f"{frozen_rows / elapsed:,.0f} frozen items/s overall"),
            *_stages(label),
        ],
    )  # fmt: skip
