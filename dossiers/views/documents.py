"""The papers of a dossier (forms 01–07, receipts): download, progress, retry.

Same rule for every view: the paper is reachable only through a dossier the
user may see (``dossier_for_user``); anything else is a 404, so a guessed
number never reveals whether a paper exists.

Embed the progress fragment in a page with::

    {% include "dossiers/documents/_status.html" with document=doc %}
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from ..models import DocumentKind, Dossier, DossierDocument, RenderStatus
from ..selectors import dossier_for_user
from ..services import pdf
from ..services.pdf.watermark import pdf_watermark_draft

STATUS_FRAGMENT = "dossiers/documents/_status.html"
STATUS_PAGE = "dossiers/documents/status.html"
NOT_READY_PAGE = "dossiers/documents/not_ready.html"

# ASCII names for the downloaded file (no diacritics: safe in every browser).
FILENAME_PREFIX = {
    DocumentKind.RECEIPT: "phieu-tiep-nhan",
    DocumentKind.SUPPLEMENT: "phieu-yeu-cau-bo-sung",
    DocumentKind.REFUSAL: "phieu-tu-choi-tiep-nhan",
    DocumentKind.APOLOGY: "phieu-xin-loi",
    DocumentKind.STOP_NOTICE: "thong-bao-dung-giai-quyet",
    DocumentKind.CONTROL_SHEET: "phieu-kiem-soat",
    DocumentKind.PAYMENT_RECEIPT: "bien-lai",
    DocumentKind.RESULT: "ket-qua",
}


def _visible_document(
    request: HttpRequest, pk: int, *, consultations: bool = True
) -> DossierDocument:
    """``consultations=False``: not for a consulted unit's readers (anything that
    changes the paper)."""
    document = DossierDocument.objects.filter(pk=pk).first()
    if document is None:
        raise Http404
    try:
        document.dossier = dossier_for_user(
            request.user, document.dossier_id, consultations=consultations
        )
    except Dossier.DoesNotExist:
        raise Http404 from None
    unsigned_result = document.kind == DocumentKind.RESULT and document.signed_at is None
    if unsigned_result and document.dossier.applicant_id == request.user.pk:
        # A result draft is internal until the head signs it.
        raise Http404
    return document


def download_filename(document: DossierDocument) -> str:
    dossier = document.dossier
    reference = re.sub(r"[^A-Za-z0-9.]+", "-", dossier.code or f"HS{dossier.pk}").strip("-.")
    prefix = FILENAME_PREFIX.get(document.kind, "giay-to")
    if document.kind == DocumentKind.PAYMENT_RECEIPT or not dossier.code:
        # A dossier may get several receipts, and a paper issued before
        # reception has no code yet: keep each file name distinct.
        reference = f"{reference}-{document.pk}"
    return f"{prefix}-{reference}.pdf"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _status_response(request: HttpRequest, document: DossierDocument) -> HttpResponse:
    template = STATUS_FRAGMENT if _is_htmx(request) else STATUS_PAGE
    response = render(request, template, {"document": document})
    patch_vary_headers(response, ["HX-Request"])
    return response


# Seconds a client is asked to wait before trying a paper in progress again.
RETRY_AFTER_SECONDS = 5


@login_required
@require_safe
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = _visible_document(request, pk)
    if _is_result_draft(document):
        # An unsigned result has its own address, with the "DỰ THẢO" mark.
        return redirect("dossiers:document_draft", pk=document.pk)
    if document.status != RenderStatus.READY:
        return _not_ready_response(request, document)
    if not document.file:
        raise Http404
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_filename(document),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _is_result_draft(document: DossierDocument) -> bool:
    return document.kind == DocumentKind.RESULT and document.signed_at is None


@never_cache
@login_required
@require_safe
def document_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The unsigned result for the staff who prepare and sign it, every page
    marked "DỰ THẢO" (never the applicant: ``_visible_document`` hides it)."""
    document = _visible_document(request, pk)
    if not _is_result_draft(document) or not document.file:
        raise Http404
    try:
        with document.file.storage.open(document.file.name, "rb") as handle:
            clean = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(pdf_watermark_draft(clean), content_type="application/pdf")
    filename = f"du-thao-{download_filename(document)}"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _not_ready_response(request: HttpRequest, document: DossierDocument) -> HttpResponse:
    """A paper being made answers "try again in a few seconds" (202, with the
    progress block that turns into the link), never a 404 or a 500: the
    citizen's receipt link may be opened before its PDF exists."""
    in_progress = document.status in (RenderStatus.PENDING, RenderStatus.RENDERING)
    response = render(
        request, NOT_READY_PAGE, {"document": document}, status=202 if in_progress else 200
    )
    if in_progress:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


@never_cache
@login_required
@require_safe
def document_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment (htmx polls it every second while rendering), or
    a full page for a browser without JavaScript."""
    return _status_response(request, _visible_document(request, pk))


@never_cache
@login_required
@require_POST
def document_retry(request: HttpRequest, pk: int) -> HttpResponse:
    document = _visible_document(request, pk, consultations=False)
    pdf.document_retry(actor=request.user, document=document)
    document.refresh_from_db(fields=["status", "error", "file", "rendered_at"])
    if _is_htmx(request):
        return _status_response(request, document)
    return redirect("dossiers:document_status", pk=document.pk)
