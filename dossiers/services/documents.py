"""Papers the portal issues (forms 01–07, receipts): queued, rendered by Celery."""

from __future__ import annotations

from django.db import transaction

from ..models import DocumentKind, Dossier, DossierDocument

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


def document_issue(dossier: Dossier, kind: str, *, source_id: int | None = None) -> DossierDocument:
    """Create the paper's row now (in the caller's transaction); render after commit."""
    sequence = DossierDocument.objects.filter(dossier=dossier, kind=kind).count() + 1
    base = dossier.code or f"HS{dossier.pk}"
    document = DossierDocument.objects.create(
        dossier=dossier,
        kind=kind,
        source_id=source_id,
        number=f"{base}/{sequence}/{NUMBER_SUFFIX[kind]}",
    )
    from ..tasks import document_render

    # robust: a broker hiccup must not fail the reception that was committed;
    # the document stays "pending" and can be re-queued.
    transaction.on_commit(lambda: document_render.delay(document.pk), robust=True)
    return document


def documents_requeue_stale(minutes: int = 5) -> int:
    """Beat job: re-queue papers whose render job was lost (broker down, worker killed)."""
    from datetime import timedelta

    from django.utils import timezone

    from ..models import RenderStatus
    from ..tasks import document_render

    stale = timezone.now() - timedelta(minutes=minutes)
    ids = list(
        DossierDocument.objects.filter(
            status__in=[RenderStatus.PENDING, RenderStatus.RENDERING], created_at__lt=stale
        ).values_list("pk", flat=True)[:500]
    )
    for document_id in ids:
        document_render.delay(document_id)
    return len(ids)
