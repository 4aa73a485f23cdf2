"""A visible "DỰ THẢO" (draft) mark over every page of an unsigned result.

The stored draft stays clean — it is what the head signs — and the mark is laid
over a copy each time the draft is downloaded, so a printed draft can never be
taken for the signed result.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO

from pypdf import PdfReader, PdfWriter, Transformation

STAMP_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 0; }
body { margin: 0; height: 297mm; display: flex; align-items: center; justify-content: center; }
div { transform: rotate(-40deg); font: bold 110pt "DejaVu Sans", sans-serif;
      color: rgba(200, 30, 30, 0.28); letter-spacing: 6pt; white-space: nowrap; }
</style></head><body><div>DỰ THẢO</div></body></html>"""


@lru_cache(maxsize=1)
def _stamp_pdf() -> bytes:
    from .render import html_to_pdf

    return html_to_pdf(STAMP_HTML)


def pdf_watermark_draft(pdf: bytes) -> bytes:
    """Every page of ``pdf`` with the draft mark scaled to its size."""
    stamp = PdfReader(BytesIO(_stamp_pdf())).pages[0]
    stamp_width, stamp_height = float(stamp.mediabox.width), float(stamp.mediabox.height)
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        scale = min(width / stamp_width, height / stamp_height)
        page.merge_transformed_page(
            stamp,
            Transformation()
            .scale(scale)
            .translate(
                float(page.mediabox.left) + (width - stamp_width * scale) / 2,
                float(page.mediabox.bottom) + (height - stamp_height * scale) / 2,
            ),
        )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
