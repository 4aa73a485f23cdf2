"""The destruction dossier of Circular 06/2025 as PDFs (WeasyPrint), signed with the
agencies' certificates: the list with its explanatory note and the council's minutes
by the reviewing unit, the decision by the approving unit, the destruction record by
both units (two signatures on one paper)."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.utils import timezone

from dossiers.services.pdf.render import render_template_pdf
from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import primary_membership
from tthc_portal.signing.services import SigningError, pdf_sign

from ..models import DisposalList, DisposalPaper, PaperKind

logger = logging.getLogger(__name__)

TEMPLATE = "records/paper_pdf.html"
# Two stamps side by side at the foot of the last A4 page (points).
LEFT_BOX = (36, 36, 286, 110)
RIGHT_BOX = (309, 36, 559, 110)


def _unit_of(user, fallback: Agency) -> Agency:
    membership = primary_membership(user) if user is not None else None
    return membership.agency if membership else fallback


def _context(disposal_list: DisposalList, kind: str) -> dict:
    items = disposal_list.items.select_related("dossier__procedure_version__procedure")
    return {
        "list": disposal_list,
        "kind": kind,
        "title": PaperKind(kind).label,
        "items": [item for item in items if not item.removed],
        "removed": [item for item in items if item.removed],
        "today": timezone.localdate(),
        "page_size": "A4",
    }


def _signers(disposal_list: DisposalList, kind: str) -> list[tuple[Agency, object]]:
    reviewer_unit = _unit_of(disposal_list.reviewed_by, disposal_list.agency)
    approver_unit = _unit_of(disposal_list.approved_by, disposal_list.agency)
    if kind in (PaperKind.LIST, PaperKind.MINUTES):
        return [(reviewer_unit, disposal_list.reviewed_by)]
    if kind == PaperKind.DECISION:
        return [(approver_unit, disposal_list.approved_by)]
    return [(reviewer_unit, disposal_list.reviewed_by), (approver_unit, disposal_list.approved_by)]


def _sign(pdf: bytes, disposal_list: DisposalList, kind: str) -> tuple[bytes, bool]:
    signers = _signers(disposal_list, kind)
    boxes = [RIGHT_BOX] if len(signers) == 1 else [LEFT_BOX, RIGHT_BOX]
    try:
        for n, ((agency, person), box) in enumerate(zip(signers, boxes, strict=True), start=1):
            pdf = pdf_sign(
                pdf,
                agency=agency,
                signer_name=person.get_full_name() or person.get_username(),
                reason=PaperKind(kind).label,
                location=agency.name,
                field_name=f"Signature{n}",
                stamp_box=box,
            )
    except SigningError:
        # The paper is still part of the file; the page shows it unsigned.
        logger.exception("records paper %s of list %s left unsigned", kind, disposal_list.pk)
        return pdf, False
    return pdf, True


def papers_render(disposal_list: DisposalList, kinds: list[str]) -> list[DisposalPaper]:
    """(Re)render the named papers of the list; a paper is replaced when the list
    came back for review and was submitted again."""
    made = []
    for kind in kinds:
        pdf = render_template_pdf(TEMPLATE, _context(disposal_list, kind))
        pdf, signed = _sign(pdf, disposal_list, kind)
        paper, _created = DisposalPaper.objects.get_or_create(
            disposal_list=disposal_list, kind=kind, defaults={"file": ""}
        )
        if paper.file:
            paper.file.delete(save=False)
        paper.file.save(f"{kind}.pdf", ContentFile(pdf), save=False)
        paper.signed = signed
        paper.save(update_fields=["file", "signed"])
        made.append(paper)
    return made
