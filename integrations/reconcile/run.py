"""The nightly comparison with the hub (``TraCuuHoSo``; national-sync.md §9).

Every open and recently closed dossier the hub should hold is looked up in
batches; each divergence becomes a ``Difference`` of the run. A failed look-up
ends the run with its error: an unanswered question is never read as "missing".
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.agencies.models import Agency

from ..hub.messages import unit_code
from ..models import Difference, ReconciliationRun, Target
from ..sync.breaker import breaker_allows, breaker_record
from ..transport import TargetClient, credential_for
from .compare import LocalDossier, candidates, differences, sent_events

BATCH = 200


def _clients(target: Target, dossiers: list[LocalDossier]) -> dict[str, tuple[TargetClient, list]]:
    """Dossiers grouped by the credential their receiving unit calls with (the
    hub answers a unit about its own dossiers)."""
    agencies = Agency.objects.in_bulk({d.agency_id for d in dossiers})
    by_agency: dict[int, str] = {}
    groups: dict[str, tuple[TargetClient, list]] = {}
    for agency_id, agency in agencies.items():
        credential = credential_for(target, agency_id, unit_code(target, agency))
        key = credential.cache_key if credential else ""
        by_agency[agency_id] = key
        if key not in groups:
            groups[key] = (TargetClient(target, credential), [])
    for dossier in dossiers:
        groups[by_agency[dossier.agency_id]][1].append(dossier)
    return groups


def reconcile_run(target: Target, *, since: datetime.datetime | None = None) -> ReconciliationRun:
    """Compare the hub's records with the portal's and store the differences.

    ``since``: closed dossiers are compared if they closed after it (default:
    ``TTHC["SYNC_RECONCILE_DAYS"]`` days ago, 30). The returned run also carries
    ``in_flight``: dossiers skipped because rows are still unsent (not stored)."""
    now = timezone.now()
    if since is None:
        since = now - datetime.timedelta(days=settings.TTHC.get("SYNC_RECONCILE_DAYS", 30))
    run = ReconciliationRun.objects.create(target=target, started_at=now)
    local = candidates(target, since)
    todo = [d for d in local if not d.in_flight]
    counts: dict[str, int] = defaultdict(int)
    if todo and not breaker_allows(target, now):
        run.error = _("Cổng DVCQG đang ngắt kết nối (circuit breaker mở): chưa đối soát.")
        todo = []
    for client, dossiers in _clients(target, todo).values():
        try:
            for start in range(0, len(dossiers), BATCH):
                batch = dossiers[start : start + BATCH]
                if not _compare_batch(run, client, batch, counts):
                    break
        finally:
            client.attempts_save()
        if run.error:
            break
    run.checked = counts["checked"]
    run.differences = counts["differences"]
    run.finished_at = timezone.now()
    run.save(update_fields=["checked", "differences", "finished_at", "error"])
    run.in_flight = sum(1 for d in local if d.in_flight)
    return run


def _compare_batch(
    run: ReconciliationRun, client: TargetClient, batch: list[LocalDossier], counts: dict
) -> bool:
    reply = client.call("lookup", {"MaHoSo": [d.code for d in batch]})
    breaker_record(run.target, reply.reply_class)
    if not reply.ok or not isinstance(reply.result, list):
        run.error = _("Tra cứu hồ sơ trên Cổng DVCQG không thành công (%(cls)s): %(msg)s") % {
            "cls": reply.reply_class,
            "msg": reply.message or f"HTTP {reply.status_code or '—'}",
        }
        return False
    remote = {
        str(item.get("MaHoSo", "")).strip(): item for item in reply.result if isinstance(item, dict)
    }
    sent_events(run.target, batch)
    rows = []
    for dossier in batch:
        for found in differences(dossier, remote.get(dossier.code)):
            rows.append(
                Difference(
                    run=run, dossier_id=dossier.pk, code=dossier.code, kind=found.kind,
                    field=found.field, local_value=found.local[:200],
                    national_value=found.national[:200],
                )
            )  # fmt: skip
    Difference.objects.bulk_create(rows)
    counts["checked"] += len(batch)
    counts["differences"] += len(rows)
    return True
