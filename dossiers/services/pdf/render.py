"""HTML → PDF (WeasyPrint) and the Celery-side rendering of an issued paper."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tthc_portal.audit.services import audit_record

from ...models import DossierDocument, RenderStatus
from .registry import FORMS

# The name the module had before it became a package: log configuration keeps working.
logger = logging.getLogger("dossiers.services.pdf")

MAX_ERROR_CHARS = 2000


def pdf_url_fetcher():
    """Only data: URIs (the QR code): a paper never fetches from the network or
    the file system, whatever text the applicant typed."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=pdf_url_fetcher()
    ).write_pdf()


def render_paper(document: DossierDocument) -> tuple[str, dict[str, Any]]:
    """The paper's HTML and the context it was drawn from, with the template
    version in force on the dossier's reception day (``templates``)."""
    from .templates import form_template_in_force, reception_day, template_render

    spec = FORMS.get(document.kind)
    if spec is None:
        raise LookupError(f"No form template registered for kind {document.kind!r}")
    version = form_template_in_force(document.kind, reception_day(document.dossier))
    with translation.override("vi"):
        context = spec.build_context(document)
        context.setdefault("page_size", spec.page_size)
        return template_render(version, spec.template, context), context


def render_html(document: DossierDocument) -> str:
    """The paper's HTML; works on an unsaved document too (a result preview)."""
    return render_paper(document)[0]


def paper_pdf(document: DossierDocument) -> tuple[bytes, dict[str, Any]]:
    """The paper as PDF, signed when its context names a signing agency (forms
    02 and 05 issued during processing): the head, then the agency."""
    html, context = render_paper(document)
    agency = context.get("signing_agency")
    if agency is None:
        return html_to_pdf(html), {}
    from .signing import html_to_pdf_placed, paper_sign

    pdf, places = html_to_pdf_placed(html)
    signer = context.get("signer")
    signed = paper_sign(
        pdf,
        places=places,
        agency=agency,
        signer=signer,
        title=context.get("signer_title", ""),
        reason=f"{context['title']} – {document.dossier.code}",
        agency_reason=_("Ban hành văn bản số %(number)s") % {"number": document.register_number},
        actor=signer,
    )
    return signed, {
        "signed_by_agency": agency,
        "signed_by": signer,
        "signer_title": context.get("signer_title", ""),
        "signed_at": timezone.now(),
    }


def render_template_pdf(template: str, context: dict[str, Any]) -> bytes:
    """A paper that belongs to no single dossier (the register, form 07)."""
    with translation.override("vi"):
        return html_to_pdf(render_to_string(template, context))


def render_reclaim_window() -> timedelta:
    """How long a claim may last before its worker is presumed dead. Longer
    than any normal render (a few seconds), far shorter than the task time
    limit, so a citizen's receipt is back in the queue within minutes."""
    return timedelta(seconds=float(settings.TTHC.get("RENDER_RECLAIM_SECONDS", 120)))


def render_max_attempts() -> int:
    return int(settings.TTHC.get("RENDER_MAX_ATTEMPTS", 5))


def stale_claim_q(now: datetime) -> Q:
    """A "rendering" row whose claim is older than the window (or has no
    claim time at all: set by hand, so nobody is known to be rendering it)."""
    return Q(status=RenderStatus.RENDERING) & (
        Q(render_claimed_at__lt=now - render_reclaim_window()) | Q(render_claimed_at__isnull=True)
    )


def _claim(document_id: int, task_id: str) -> int | None:
    """Compare-and-set claim; returns the claim's number (its fencing token),
    or None when the paper is ready, or being rendered by a live worker."""
    now = timezone.now()
    claimable = Q(status__in=(RenderStatus.PENDING, RenderStatus.FAILED)) | stale_claim_q(now)
    if task_id:
        # The same job delivered again (reject on worker lost): its first
        # delivery died mid-render, so its claim is ours to take over.
        claimable |= Q(status=RenderStatus.RENDERING, render_claimed_by=task_id)
    rows = DossierDocument.objects.filter(claimable, pk=document_id)
    with transaction.atomic():
        claimed = rows.filter(render_attempts__lt=render_max_attempts()).update(
            status=RenderStatus.RENDERING,
            error="",
            render_claimed_at=now,
            render_claimed_by=task_id,
            render_attempts=F("render_attempts") + 1,
        )
        if claimed:
            # Still under the row lock of the UPDATE: this is our own number.
            return DossierDocument.objects.values_list("render_attempts", flat=True).get(
                pk=document_id
            )
    # Claimable but every attempt so far lost its worker: stop the loop and
    # show the failure (the citizen's "Tạo lại" starts a fresh count).
    rows.filter(render_attempts__gte=render_max_attempts()).update(
        status=RenderStatus.FAILED,
        error=f"Gave up after {render_max_attempts()} render attempts (worker lost)",
    )
    return None


def document_render(document_id: int, *, task_id: str = "") -> str:
    """Render one issued paper; returns the document's status afterwards.

    Idempotent: only a pending or failed row is claimed, or one whose claim
    went stale (judged from the claim time, never the issue time), so a
    ready paper is never rendered again and a live render is left alone. The
    result is stored only if the claim is still ours when the PDF is done
    (an overtaken slow worker throws its file away): one file per paper.
    """
    attempt = _claim(document_id, task_id)
    current = DossierDocument.objects.filter(pk=document_id)
    if attempt is None:
        return current.values_list("status", flat=True).first() or ""
    ours = current.filter(status=RenderStatus.RENDERING, render_attempts=attempt)
    document = DossierDocument.objects.select_related(
        "dossier__procedure_version__procedure",
        "dossier__receiving_agency__parent",
        "dossier__receiving_agency__one_stop_desk",
        "dossier__processing_agency__parent",
    ).get(pk=document_id)
    previous = document.file.name if document.file else ""
    stored = ""
    try:
        pdf, signed = paper_pdf(document)
        stored = document.file.storage.save(
            document.file.field.generate_filename(document, f"{document.kind}.pdf"),
            ContentFile(pdf),
        )
        kept = ours.update(
            file=stored, status=RenderStatus.READY, rendered_at=timezone.now(), error="", **signed
        )
    except Exception as exc:
        if stored:
            document.file.storage.delete(stored)
        ours.update(
            status=RenderStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
        )
        logger.exception("Rendering document %s failed", document_id)
        raise
    if not kept:
        logger.warning("Render %s of document %s was overtaken; file dropped", attempt, document_id)
        document.file.storage.delete(stored)
        return current.values_list("status", flat=True).first() or ""
    if previous and previous != stored:
        document.file.storage.delete(previous)
    return RenderStatus.READY


def document_retry(*, actor: Any, document: DossierDocument) -> bool:
    """Put a failed paper back in the queue (failed → pending, then render
    after commit). Returns False when the paper had not failed."""
    from ...tasks import document_render as render_task  # the task imports this module

    reset = DossierDocument.objects.filter(pk=document.pk, status=RenderStatus.FAILED).update(
        status=RenderStatus.PENDING, error="", render_queued_at=timezone.now(), render_attempts=0
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
