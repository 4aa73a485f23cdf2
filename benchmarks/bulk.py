"""Bulk receive at the desk: 500 waiting online dossiers through
``dossiers.services.bulk.dossiers_bulk_apply`` (issue #19 item 3).

``BENCH_BULK_DOSSIERS`` (500) fresh online dossiers waiting for the desk come
from ``synthetic`` (state "submitted", spread over the generated province's
agencies as online submissions are); each receiving desk's officer selects all
of their desk's dossiers and applies "receive" once, as on the bulk page. Each
dossier still goes through ``dossier_receive`` in its own savepoint (history,
audit, notification, sync rows). Reported: wall time, time and SQL queries per
dossier, and that every dossier was received with a code. Celery is pointed at
an in-memory broker, as in the dossiers benchmark (documents and messages are
queued after commit, not rendered in-process).
"""

from __future__ import annotations

import os
import statistics
import time

from .harness import count_queries, report

DOSSIERS = int(os.environ.get("BENCH_BULK_DOSSIERS", "500"))


def _batches() -> list[tuple[object, list[int]]]:
    """(desk officer, the desk's waiting dossiers) for fresh submitted dossiers."""
    from django.contrib.auth import get_user_model

    from dossiers.models import Dossier, Status
    from synthetic import generate
    from tthc_portal.accounts.roles import Role
    from tthc_portal.agencies.models import StaffMembership

    prepared = generate(count=DOSSIERS, only="submitted", log=lambda _line: None)
    by_agency: dict[int, list[int]] = {}
    for pk, agency in (
        Dossier.objects.filter(
            pk__range=(prepared.first_id, prepared.last_id), status=Status.SUBMITTED
        )
        .order_by("pk")
        .values_list("pk", "receiving_agency_id")
    ):
        by_agency.setdefault(agency, []).append(pk)
    officers: dict[int, int] = {}
    for agency_id, user_id in StaffMembership.objects.filter(
        role=Role.DESK_OFFICER, agency_id__in=by_agency
    ).values_list("agency_id", "user_id"):
        officers.setdefault(agency_id, user_id)
    users = get_user_model().objects.in_bulk(officers.values())
    return [(users[officers[agency]], ids) for agency, ids in by_agency.items()]


def run() -> None:
    from django.db import connection

    from dossiers.models import Dossier, Status
    from dossiers.services.bulk import dossiers_bulk_apply

    from .dossiers import _celery_in_memory

    _celery_in_memory()
    prepare_start = time.perf_counter()
    batches = _batches()
    prepared = time.perf_counter() - prepare_start
    done = failed = queries = 0
    per_dossier_ms: list[float] = []
    wall_start = time.perf_counter()
    for officer, ids in batches:
        with count_queries() as captured:
            start = time.perf_counter()
            result = dossiers_bulk_apply(officer, ids, "receive")
            elapsed = time.perf_counter() - start
        queries += len(captured.captured_queries)
        per_dossier_ms.append(elapsed * 1000 / len(ids))
        done += len(result.done)
        failed += len(result.failed)
    wall = time.perf_counter() - wall_start
    ids = [pk for _officer, batch in batches for pk in batch]
    received = Dossier.objects.filter(
        pk__in=ids, status=Status.RECEIVED, code__isnull=False
    ).count()
    sizes = sorted(len(batch) for _officer, batch in batches)
    total = len(ids)
    rows = [
        ("database", connection.vendor),
        ("dossiers prepared (synthetic, submitted online)", f"{total:,} in {prepared:.1f} s"),
        ("desks (one bulk action each), batch sizes",
         f"{len(batches)}; median {statistics.median(sizes):.0f}, max {sizes[-1]}"
         if sizes else "—"),
        ("wall time, all batches", f"{wall:.2f} s ({total / wall:,.0f} dossiers/s)"
         if wall else "—"),
        ("time per dossier", f"{wall * 1000 / total:.1f} ms overall; per batch median "
         f"{statistics.median(per_dossier_ms):.1f} ms, max {max(per_dossier_ms):.1f} ms"
         if total else "—"),
        ("SQL queries per dossier", f"{queries / total:.1f} ({queries:,} in all)"
         if total else "—"),
        ("done / failed / received with code", f"{done} / {failed} / {received}"),
    ]  # fmt: skip
    report(f"Bulk receive of {DOSSIERS:,} waiting online dossiers (dossiers_bulk_apply)", rows)
