"""Shared by the render tests: a received dossier's receipt (form 01), not yet
rendered, and ways to age its render bookkeeping."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from dossiers.models import DocumentKind, DossierDocument, RenderStatus
from dossiers.services.reception import dossier_receive
from dossiers.services.submission import component_attach, dossier_create_draft, dossier_submit
from tests.dossiers.files import make_pdf, upload

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CITIZEN = "001085012345"
DESK = "motcua.tuphap"


def pending_receipt(users, procedure) -> DossierDocument:
    """Form 01 of a received dossier; its after-commit render was not run."""
    citizen = users[CITIZEN]
    dossier = dossier_create_draft(actor=citizen, procedure=procedure)
    for requirement in procedure.current_version.components.filter(required=True):
        component_attach(
            actor=citizen, dossier=dossier, requirement_id=requirement.pk,
            upload=upload(f"{requirement.order}.pdf", make_pdf()),
        )  # fmt: skip
    dossier = dossier_submit(actor=citizen, dossier=dossier)
    dossier = dossier_receive(
        actor=users[DESK], dossier=dossier, at=datetime(2025, 3, 3, 9, 0, tzinfo=TZ)
    )
    document = DossierDocument.objects.get(dossier=dossier, kind=DocumentKind.RECEIPT)
    assert document.status == RenderStatus.PENDING
    return document


def set_render_state(document: DossierDocument, **fields) -> DossierDocument:
    DossierDocument.objects.filter(pk=document.pk).update(**fields)
    document.refresh_from_db()
    return document


def ago(seconds: float) -> datetime:
    return timezone.now() - timedelta(seconds=seconds)


def stored_documents(document: DossierDocument) -> set[str]:
    """The files in the paper's dossier folder (compare before and after: the
    test media folder outlives the test database, and ids repeat)."""
    storage = document.file.storage
    folder = f"dossiers/{document.dossier_id}/documents"
    if not storage.exists(folder):
        return set()
    return {f"{folder}/{name}" for name in storage.listdir(folder)[1]}
