"""The official papers (Circular 03/2025/TT-VPCP Annex I) rendered as PDF.

``document_render(document_id)`` is what the Celery task
``dossiers.tasks.document_render`` runs after ``document_issue`` committed the
row. It claims the row (compare-and-set, so two workers never render the same
paper), builds the context of the paper's kind, renders the Django template
and converts it with WeasyPrint. Fonts are embedded (DejaVu Sans, with
Noto Sans as fallback: both carry the Vietnamese glyphs).

Forms are looked up in ``FORMS`` (kind → template, context builder, page
size), filled by ``@register_form(kind, template)`` in
:mod:`.forms_reception` (01–03, fee receipt) and :mod:`.forms_processing`
(04–06, not-eligible notice, result). The register (07) belongs to no single
dossier: see :mod:`dossiers.services.register`.
"""

from __future__ import annotations

from . import forms_processing, forms_reception  # noqa: F401  (fill FORMS)
from .context import base_context, lookup_url, qr_payload, qr_svg_data_uri
from .forms_processing import (
    apology_context,
    control_sheet_context,
    not_eligible_context,
    result_context,
    stop_notice_context,
)
from .forms_reception import (
    payment_receipt_context,
    receipt_context,
    refusal_context,
    supplement_context,
)
from .registry import (
    A4,
    A4_LANDSCAPE,
    A5,
    FORMS,
    TEMPLATE_DIR,
    ContextBuilder,
    FormSpec,
    register_form,
)
from .render import (
    MAX_ERROR_CHARS,
    document_render,
    document_retry,
    html_to_pdf,
    logger,
    render_html,
    render_template_pdf,
)
from .text import (
    amount_in_words,
    format_date,
    format_long_date,
    format_number,
    format_short,
    format_time,
    format_vnd,
    processing_time_text,
)

__all__ = [
    "A4",
    "A4_LANDSCAPE",
    "A5",
    "FORMS",
    "MAX_ERROR_CHARS",
    "TEMPLATE_DIR",
    "ContextBuilder",
    "FormSpec",
    "amount_in_words",
    "apology_context",
    "base_context",
    "control_sheet_context",
    "document_render",
    "document_retry",
    "format_date",
    "format_long_date",
    "format_number",
    "format_short",
    "format_time",
    "format_vnd",
    "html_to_pdf",
    "logger",
    "lookup_url",
    "not_eligible_context",
    "payment_receipt_context",
    "processing_time_text",
    "qr_payload",
    "qr_svg_data_uri",
    "receipt_context",
    "refusal_context",
    "register_form",
    "render_html",
    "render_template_pdf",
    "result_context",
    "stop_notice_context",
    "supplement_context",
]
