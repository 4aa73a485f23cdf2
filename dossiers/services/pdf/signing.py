"""Signed papers: the result and forms 02 and 05 issued during processing.

A paper the head approves carries two signatures, as Decree 30/2020 Art. 13
describes for an electronic document: the head's own (personal certificate,
name and title), then the agency's (its certificate, the seal's role), each
an incremental PAdES revision, so the first stays valid under the second.
Each visible signature is placed in the signature block of the template: the
template marks the places with ``id="sig-person"`` and ``id="sig-agency"``
and WeasyPrint reports where it laid them out (``Page.anchors``). A PDF the
specialist uploaded has no marks: the signatures go to the bottom right of
its last page, the agency's above the head's.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.conf import settings

from tthc_portal.agencies.models import Agency, StaffMembership

from .render import pdf_url_fetcher

Box = tuple[float, float, float, float]
Placement = tuple[int, Box]  # page index, (x1, y1, x2, y2) in points from bottom-left

PERSON_ANCHOR = "sig-person"
AGENCY_ANCHOR = "sig-agency"
PERSON_FIELD = "ChuKyNguoiKy"
AGENCY_FIELD = "ChuKyCoQuan"
_PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (96 per inch); PDF uses points (72)
# Fallback placement on an uploaded PDF: width, height, margin in points.
_STAMP = (190.0, 54.0, 24.0)


def html_to_pdf_placed(html: str) -> tuple[bytes, dict[str, Placement]]:
    """The PDF and where its signature places were laid out (by anchor id)."""
    from weasyprint import HTML

    document = HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=pdf_url_fetcher()
    ).render()
    places: dict[str, Placement] = {}
    for index, page in enumerate(document.pages):
        height = page.height * _PX_TO_PT
        for name, (x1, y1, x2, y2) in page.anchors.items():
            if name in (PERSON_ANCHOR, AGENCY_ANCHOR) and name not in places:
                places[name] = (
                    index,
                    (
                        x1 * _PX_TO_PT,
                        height - y2 * _PX_TO_PT,
                        x2 * _PX_TO_PT,
                        height - y1 * _PX_TO_PT,
                    ),
                )
    return document.write_pdf(), places


def _fallback_places(pdf: bytes) -> dict[str, Placement]:
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    index = len(reader.pages) - 1
    box = reader.pages[index].mediabox
    width, height, margin = _STAMP
    width = min(width, float(box.width) - 2 * margin)
    x2, y1 = float(box.right) - margin, float(box.bottom) + margin
    person = (x2 - width, y1, x2, y1 + height)
    agency = (x2 - width, y1 + height + 6, x2, y1 + 2 * height + 6)
    return {PERSON_ANCHOR: (index, person), AGENCY_ANCHOR: (index, agency)}


def signer_title(user: Any, agency: Agency) -> str:
    """The signer's title (chức vụ) at ``agency`` as recorded on their
    membership; empty when none is recorded (the template prints the role)."""
    if user is None:
        return ""
    titles = (
        StaffMembership.objects.filter(user=user, agency=agency)
        .exclude(title="")
        .values_list("title", flat=True)
    )
    return next(iter(titles), "")


def paper_sign(
    pdf: bytes,
    *,
    places: dict[str, Placement] | None,
    agency: Agency,
    signer: Any,
    title: str,
    reason: str,
    agency_reason: str,
    actor: Any = None,
) -> bytes:
    """The head's signature (when there is a signer), then the agency's."""
    from tthc_portal.signing.services import pdf_sign

    places = places or {}
    if PERSON_ANCHOR not in places or AGENCY_ANCHOR not in places:
        places = {**_fallback_places(pdf), **places}
    location = settings.TTHC["PROVINCE_NAME"]
    if signer is not None:
        page, box = places[PERSON_ANCHOR]
        pdf = pdf_sign(
            pdf,
            agency=agency,
            signer_name=signer.display_name,
            reason=reason,
            location=location,
            field_name=PERSON_FIELD,
            visible=True,
            stamp_box=box,
            page=page,
            actor=actor,
            person=signer,
            title=title,
        )
    page, box = places[AGENCY_ANCHOR]
    return pdf_sign(
        pdf,
        agency=agency,
        signer_name=signer.display_name if signer is not None else "",
        reason=agency_reason,
        location=location,
        field_name=AGENCY_FIELD,
        visible=True,
        stamp_box=box,
        page=page,
        actor=actor,
    )
