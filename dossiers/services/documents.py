"""Papers the portal issues (forms 01–07, receipts): queued, rendered by Celery."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import (
    DocumentKind,
    Dossier,
    DossierDocument,
    RenderStatus,
    StatusHistory,
    SupplementRequest,
    SupplementStage,
)
from .pdf.render import render_reclaim_window, stale_claim_q

logger = logging.getLogger(__name__)

# Number suffixes printed on each form (dossier-lifecycle.md §13).
NUMBER_SUFFIX = {
    DocumentKind.RECEIPT: "TTPVHCC (BPTNTKQ)",
    DocumentKind.SUPPLEMENT: "PBS-TTPVHCC (BPTNTKQ)",
    DocumentKind.REFUSAL: "PTC-TTPVHCC (BPTNTKQ)",
    DocumentKind.APOLOGY: "PXL",
    DocumentKind.STOP_NOTICE: "TBD",
    DocumentKind.CONTROL_SHEET: "PKS-TTPVHCC (BPTNTKQ)",
    DocumentKind.PAYMENT_RECEIPT: "BL",
    DocumentKind.RESULT: "KQ",
    DocumentKind.NOT_ELIGIBLE: "TB-KĐĐK",
}


def issued_in_processing(dossier: Dossier, kind: str, source_id: int | None) -> bool:
    """Forms 02 and 05 the resolving agency issues once it holds the dossier:
    they are its papers (letterhead, register number, signatures), unlike the
    desk's forms at reception."""
    if kind == DocumentKind.SUPPLEMENT:
        return SupplementRequest.objects.filter(
            pk=source_id, stage=SupplementStage.DURING_PROCESSING
        ).exists()
    if kind == DocumentKind.STOP_NOTICE:
        return StatusHistory.objects.filter(dossier=dossier, action="transfer").exists()
    return False


def document_issue(
    dossier: Dossier, kind: str, *, source_id: int | None = None, sequence: int | None = None
) -> DossierDocument:
    """Create the paper's row now (in the caller's transaction); render after commit.

    A paper issued during processing takes its number from the resolving
    agency's register here, inside the issuing transaction (no gaps).
    ``sequence``: the paper's rank among the dossier's papers of this kind, when
    the caller knows it (the receipt is always the first); otherwise counted."""
    from .paper_numbers import register_number_allocate

    if sequence is None:
        sequence = DossierDocument.objects.filter(dossier=dossier, kind=kind).count() + 1
    base = dossier.code or f"HS{dossier.pk}"
    register_number = ""
    if issued_in_processing(dossier, kind, source_id):
        agency = dossier.processing_agency or dossier.receiving_agency
        register_number = register_number_allocate(agency, kind, year=timezone.localdate().year)
    document = DossierDocument.objects.create(
        dossier=dossier,
        kind=kind,
        source_id=source_id,
        number=f"{base}/{sequence}/{NUMBER_SUFFIX[kind]}",
        register_number=register_number,
    )
    from ..tasks import document_render

    # robust: a broker hiccup must not fail the reception that was committed;
    # the document stays "pending" and can be re-queued.
    transaction.on_commit(lambda: document_render.delay(document.pk), robust=True)
    return document


def documents_requeue_stale(*, now: datetime | None = None, limit: int = 500) -> int:
    """Beat job: re-queue papers whose render was lost; returns how many.

    Two cases, both judged by their own time and one reclaim window
    (``TTHC["RENDER_RECLAIM_SECONDS"]``): a claim whose worker died
    (``render_claimed_at``) goes back to pending, and a pending paper whose
    job never reached a worker (broker down at commit, message lost) is sent
    again — once per window (``render_queued_at``), so an outage does not
    pile up duplicates. Each row is stamped by compare-and-set, so a claim
    made meanwhile is left alone; the render's own claim is the final guard.
    """
    from ..tasks import document_render

    now = now or timezone.now()
    cutoff = now - render_reclaim_window()
    open_rows = DossierDocument.objects.filter(
        status__in=(RenderStatus.PENDING, RenderStatus.RENDERING)
    )
    stale = stale_claim_q(now) | Q(status=RenderStatus.PENDING, render_queued_at__lt=cutoff)
    ids = list(open_rows.filter(stale).order_by("pk").values_list("pk", flat=True)[:limit])
    if not ids:
        return 0
    # The condition is evaluated again by the UPDATE, under the row lock.
    DossierDocument.objects.filter(stale, pk__in=ids).update(
        status=RenderStatus.PENDING, render_queued_at=now
    )
    requeued = list(
        DossierDocument.objects.filter(
            pk__in=ids, status=RenderStatus.PENDING, render_queued_at=now
        ).values_list("pk", flat=True)
    )
    for document_id in requeued:
        document_render.delay(document_id)
    if requeued:
        logger.warning("Re-queued %d paper(s) whose render was lost: %s", len(requeued), requeued)
    return len(requeued)
