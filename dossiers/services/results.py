"""The result: drafted (uploaded or from the template), signed by the agency at
approval, filed in the citizen's personal data store (dossier-lifecycle §6)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    DocumentKind,
    Dossier,
    DossierDocument,
    DossierStep,
    PersonalDocument,
    RenderStatus,
)
from . import DossierError
from .lifecycle import dossier_transition
from .steps import may_hold, open_step
from .uploads import check_upload


def result_draft(dossier: Dossier) -> DossierDocument | None:
    """The latest unsigned result file, waiting for the head's signature."""
    return (
        dossier.documents.filter(
            kind=DocumentKind.RESULT, status=RenderStatus.READY, signed_at__isnull=True
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def signed_result(dossier: Dossier) -> DossierDocument | None:
    return (
        dossier.documents.filter(kind=DocumentKind.RESULT, signed_at__isnull=False)
        .order_by("-signed_at", "-pk")
        .first()
    )


def _check_holder(actor, locked: Dossier) -> DossierStep:
    step = open_step(locked)
    if step is None:
        raise DossierError(_("Hồ sơ không ở bước xử lý nào."))
    if not may_hold(actor, step):
        raise PermissionDenied("not the step's holder")
    return step


def _store_draft(locked: Dossier, pdf: bytes, *, content: str = "") -> DossierDocument:
    document = DossierDocument(
        dossier=locked,
        kind=DocumentKind.RESULT,
        status=RenderStatus.READY,
        rendered_at=timezone.now(),
        content=content,
    )
    document.file.save("result.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


@transaction.atomic
def result_draft_upload(*, actor, dossier: Dossier | int, upload) -> DossierDocument:
    """The specialist attaches the drafted result (a PDF) for the head to sign."""
    checked = check_upload(upload)
    if checked.content_type != "application/pdf":
        raise DossierError(_("Kết quả giải quyết phải là tệp PDF để ký số."))
    holder: dict = {}

    def apply(locked: Dossier):
        _check_holder(actor, locked)
        holder["document"] = _store_draft(locked, checked.content)
        return []

    dossier_transition(
        actor=actor, dossier=dossier, action="attach_result", apply=apply,
        note=_("Tải lên dự thảo kết quả"),
    )  # fmt: skip
    return holder["document"]


@transaction.atomic
def result_draft_generate(*, actor, dossier: Dossier | int, content: str) -> DossierDocument:
    """Draft the result from the agency's template with the text the specialist typed."""
    from .pdf import html_to_pdf, render_html

    content = (content or "").strip()
    if len(content) < 10:
        raise DossierError(_("Hãy nhập nội dung kết quả giải quyết (ít nhất 10 ký tự)."))
    holder: dict = {}

    def apply(locked: Dossier):
        _check_holder(actor, locked)
        preview = DossierDocument(dossier=locked, kind=DocumentKind.RESULT, content=content)
        preview.number = locked.result_code or result_code_for(locked)
        holder["document"] = _store_draft(
            locked, html_to_pdf(render_html(preview)), content=content
        )
        return []

    dossier_transition(
        actor=actor, dossier=dossier, action="attach_result", apply=apply,
        note=_("Soạn kết quả từ mẫu"),
    )  # fmt: skip
    return holder["document"]


def result_code_for(dossier: Dossier) -> str:
    """``<dossier code>-KQ(n)`` (Decree 45/2020 Art. 14(3); configurable)."""
    template = settings.TTHC.get("RESULT_CODE_FORMAT", "{code}-KQ{n}")
    issued = dossier.documents.filter(kind=DocumentKind.RESULT, signed_at__isnull=False).count()
    return template.format(code=dossier.code or f"HS{dossier.pk}", n=issued + 1)


def result_sign(locked: Dossier, draft: DossierDocument, *, signer) -> DossierDocument:
    """Sign the draft, in place of the draft file: a number from the agency's
    register (số văn bản, taken in this — the approval's — transaction), the
    head's own signature with name and title, then the agency's (§6)."""
    from .paper_numbers import register_number_allocate
    from .pdf.signing import html_to_pdf_placed, paper_sign, signer_title

    agency = locked.processing_agency or locked.receiving_agency
    now = timezone.now()
    title = signer_title(signer, agency)
    register_number = register_number_allocate(
        agency, DocumentKind.RESULT, year=timezone.localdate(now).year
    )
    places = None
    if draft.content:
        # Drafted from the template: render the final paper (its number, the
        # signer's name and title, the places of the signatures) rather than
        # sign the draft, whose number was blank.
        from .pdf import render_html

        final = DossierDocument(
            dossier=locked,
            kind=DocumentKind.RESULT,
            content=draft.content,
            number=locked.result_code or result_code_for(locked),
            register_number=register_number,
            signed_at=now,
            signed_by_agency=agency,
            signed_by=signer,
            signer_title=title,
        )
        unsigned, places = html_to_pdf_placed(render_html(final))
    else:
        with draft.file.open("rb") as handle:
            unsigned = handle.read()
    signed = paper_sign(
        unsigned,
        places=places,
        agency=agency,
        signer=signer,
        title=title,
        reason=_("Phê duyệt kết quả giải quyết hồ sơ %(code)s") % {"code": locked.code},
        agency_reason=_("Ban hành văn bản số %(number)s") % {"number": register_number},
        actor=signer,
    )
    previous = draft.file.name
    draft.number = locked.result_code
    draft.register_number = register_number
    draft.file.save("result-signed.pdf", ContentFile(signed), save=False)
    draft.signed_by_agency = agency
    draft.signed_by = signer
    draft.signer_title = title
    draft.signed_at = now
    draft.save(
        update_fields=[
            "number",
            "register_number",
            "file",
            "signed_by_agency",
            "signed_by",
            "signer_title",
            "signed_at",
        ]
    )
    if previous and previous != draft.file.name:
        draft.file.storage.delete(previous)
    return draft


def result_to_personal_store(dossier: Dossier, document: DossierDocument) -> None:
    """The e-result goes into the applicant's personal data store (when they have an account)."""
    if dossier.applicant_id is None:
        return
    with document.file.open("rb") as handle:
        content = handle.read()
    personal = PersonalDocument(
        owner_id=dossier.applicant_id,
        title=_("Kết quả: %(name)s (%(code)s)")
        % {"name": dossier.procedure_version.name[:400], "code": dossier.result_code},
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        source_dossier=dossier,
        is_result=True,
    )
    personal.file.save("result.pdf", ContentFile(content), save=False)
    personal.save()


def result_verify(document: DossierDocument):
    """The signature report shown next to a result (intact, trusted, signer)."""
    from tthc_portal.signing.services import pdf_verify

    with document.file.open("rb") as handle:
        return pdf_verify(handle.read())
