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

    transaction.on_commit(lambda: document_render.delay(document.pk))
    return document
