"""HTML → PDF (WeasyPrint) and the Celery-side rendering of an issued paper."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tthc_portal.audit.services import audit_record

from ...models import DossierDocument, RenderStatus
from .registry import FORMS

# The name the module had before it became a package: log configuration keeps working.
logger = logging.getLogger("dossiers.services.pdf")

MAX_ERROR_CHARS = 2000


def _url_fetcher():
    """Only data: URIs (the QR code): a paper never fetches from the network or
    the file system, whatever text the applicant typed."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher()
    ).write_pdf()


def render_html(document: DossierDocument) -> str:
    """The paper's HTML; works on an unsaved document too (a result preview)."""
    spec = FORMS.get(document.kind)
    if spec is None:
        raise LookupError(f"No form template registered for kind {document.kind!r}")
    with translation.override("vi"):
        context = spec.build_context(document)
        context.setdefault("page_size", spec.page_size)
        return render_to_string(spec.template, context)


def render_template_pdf(template: str, context: dict[str, Any]) -> bytes:
    """A paper that belongs to no single dossier (the register, form 07)."""
    with translation.override("vi"):
        return html_to_pdf(render_to_string(template, context))


def _stale_after() -> timedelta:
    """A render never outlives the task time limit: a paper still "rendering"
    longer than that after it was issued lost its worker and may be claimed
    again (``documents_requeue_stale`` re-queues it)."""
    return timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", None) or 30 * 60)


def document_render(document_id: int) -> str:
    """Render one issued paper; returns the document's status afterwards.

    Idempotent: only a pending or failed row is claimed (or one whose worker
    died), so a ready paper is never rendered again and a paper being rendered
    elsewhere is left alone.
    """
    claimable = Q(status__in=(RenderStatus.PENDING, RenderStatus.FAILED)) | Q(
        status=RenderStatus.RENDERING, created_at__lt=timezone.now() - _stale_after()
    )
    claimed = DossierDocument.objects.filter(claimable, pk=document_id).update(
        status=RenderStatus.RENDERING, error=""
    )
    if not claimed:
        status = DossierDocument.objects.filter(pk=document_id).values_list("status", flat=True)
        return status.first() or ""
    document = DossierDocument.objects.select_related(
        "dossier__procedure_version__procedure",
        "dossier__receiving_agency__parent",
        "dossier__receiving_agency__one_stop_desk",
        "dossier__processing_agency__parent",
    ).get(pk=document_id)
    previous = document.file.name if document.file else ""
    stored = ""
    try:
        pdf = html_to_pdf(render_html(document))
        document.file.save(f"{document.kind}.pdf", ContentFile(pdf), save=False)
        stored = document.file.name
        document.status = RenderStatus.READY
        document.rendered_at = timezone.now()
        document.error = ""
        document.save(update_fields=["file", "status", "rendered_at", "error"])
    except Exception as exc:
        if stored:
            document.file.storage.delete(stored)
        DossierDocument.objects.filter(pk=document_id).update(
            status=RenderStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
        )
        logger.exception("Rendering document %s failed", document_id)
        raise
    if previous and previous != stored:
        document.file.storage.delete(previous)
    return RenderStatus.READY


def document_retry(*, actor: Any, document: DossierDocument) -> bool:
    """Put a failed paper back in the queue (failed → pending, then render
    after commit). Returns False when the paper had not failed."""
    from ...tasks import document_render as render_task  # the task imports this module

    reset = DossierDocument.objects.filter(pk=document.pk, status=RenderStatus.FAILED).update(
        status=RenderStatus.PENDING, error=""
    )
    if not reset:
        return False
    audit_record(
        actor=actor,
        action="document.retry",
        target=document.dossier,
        after={"document": document.pk, "kind": document.kind},
    )
    document_id = document.pk
    # robust: if the broker is down the paper stays pending and the
    # ``documents_requeue_stale`` beat job queues it again.
    transaction.on_commit(lambda: render_task.delay(document_id), robust=True)
    return True
