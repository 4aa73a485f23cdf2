"""Forms 01–03 (reception) and the fee receipt."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ...models import (
    DocumentKind,
    Dossier,
    DossierDocument,
    Payment,
    SourceForm,
    SupplementRequest,
)
from .context import (
    actor_of,
    applicant_of,
    base_context,
    issuer_header,
    lookup_url,
    person_name,
    representative_of,
    resolving_agency,
)
from .registry import TEMPLATE_DIR, register_form
from .signing import signer_title
from .text import amount_in_words, format_time, format_vnd, paragraphs, processing_time_text

_DIGITISED = {
    SourceForm.UPLOAD: "Bản điện tử",
    SourceForm.PERSONAL_STORE: "Kho dữ liệu cá nhân",
    SourceForm.NATIONAL_DB: "Khai thác từ CSDL",
}


def _components(dossier: Dossier) -> list[dict[str, Any]]:
    """One row per required paper provided (several files of one requirement
    are one paper), in the version's order."""
    rows: dict[Any, dict[str, Any]] = {}
    for component in dossier.components.select_related("requirement").order_by(
        "requirement__order", "pk"
    ):
        requirement = component.requirement
        key = requirement.pk if requirement else f"free-{component.pk}"
        if component.is_digitised:
            digitised = "Đã số hóa"
        else:
            digitised = _DIGITISED.get(component.source_form, "Chưa số hóa")
        row = rows.get(key)
        if row is None:
            rows[key] = {
                "name": requirement.name if requirement else component.name,
                "copy_kind": requirement.get_copy_kind_display() if requirement else "Bản sao",
                "count": requirement.count if requirement else 1,
                "files": 1,
                "digitised": digitised,
            }
        else:
            row["files"] += 1
            if digitised == "Đã số hóa":
                row["digitised"] = digitised
    return list(rows.values())


def _result_place(dossier: Dossier, desk) -> str:
    if dossier.result_delivery == "postal":
        address = dossier.applicant_address or "địa chỉ đã đăng ký"
        return f"Qua dịch vụ bưu chính công ích, đến {address}"
    if dossier.result_delivery == "online":
        return f"Trực tuyến, tại {lookup_url(dossier)}"
    if desk is not None:
        return f"{desk.name}, {desk.address}" if desk.address else desk.name
    return dossier.receiving_agency.name


def _register_entry(dossier: Dossier) -> dict[str, str]:
    """Register book (one per year) and entry (the code's daily sequence)."""
    received = timezone.localtime(dossier.received_at) if dossier.received_at else None
    tail = (dossier.code or "").rsplit("-", 1)[-1]
    return {
        "book": f"{received:%Y}" if received else "",
        "entry": tail if tail.isdigit() else (dossier.code or ""),
    }


@register_form(DocumentKind.RECEIPT, f"{TEMPLATE_DIR}/01_receipt.html")
def receipt_context(document: DossierDocument) -> dict[str, Any]:
    dossier = document.dossier
    received = actor_of(dossier, "receive")
    received_at = dossier.received_at or document.created_at
    context = base_context(document, received_at)
    context.update(
        applicant=applicant_of(dossier),
        representative=representative_of(dossier),
        components=_components(dossier),
        sets_count=f"{dossier.sets_count:02d}",
        processing_time=processing_time_text(dossier),
        received_at=format_time(dossier.received_at),
        due_at=format_time(dossier.due_at),
        result_place=_result_place(dossier, context["desk"]),
        register=_register_entry(dossier),
        officer_name=person_name(received.actor if received else None),
        channel=dossier.get_channel_display(),
    )
    return context


@register_form(DocumentKind.SUPPLEMENT, f"{TEMPLATE_DIR}/02_supplement.html")
def supplement_context(document: DossierDocument) -> dict[str, Any]:
    dossier = document.dossier
    request = SupplementRequest.objects.select_related("requested_by").get(
        pk=document.source_id, dossier=dossier
    )
    context = base_context(document, request.requested_at)
    context.update(
        applicant=applicant_of(dossier),
        request=request,
        items=[
            {"name": item.get("name") or "", "reason": item.get("reason") or ""}
            for item in request.items
        ],
        officer_name=person_name(request.requested_by),
        requested_at=format_time(request.requested_at),
    )
    if document.register_number:
        # During processing the head signs the request off: the resolving
        # agency's letterhead, its register number, the head's and the agency's
        # signatures (the desk's request before receipt stays the desk's form).
        agency = resolving_agency(dossier)
        context.update(issuer_header(agency))
        context.update(
            number=document.register_number,
            signing_agency=agency,
            signer=request.requested_by,
            signer_name=person_name(request.requested_by),
            signer_title=signer_title(request.requested_by, agency),
            signer_role="Thủ trưởng cơ quan",
        )
    return context


@register_form(DocumentKind.REFUSAL, f"{TEMPLATE_DIR}/03_refusal.html")
def refusal_context(document: DossierDocument) -> dict[str, Any]:
    dossier = document.dossier
    refused = actor_of(dossier, "refuse")
    refused_at = dossier.completed_at or (refused.at if refused else document.created_at)
    context = base_context(document, refused_at)
    context.update(
        applicant=applicant_of(dossier),
        reasons=paragraphs(dossier.refusal_reason),
        officer_name=person_name(refused.actor if refused else None),
    )
    return context


@register_form(DocumentKind.PAYMENT_RECEIPT, f"{TEMPLATE_DIR}/payment_receipt.html")
def payment_receipt_context(document: DossierDocument) -> dict[str, Any]:
    dossier = document.dossier
    payment = Payment.objects.get(pk=document.source_id, dossier=dossier)
    context = base_context(document, payment.paid_at or document.created_at)
    context.update(
        payment=payment,
        applicant=applicant_of(dossier),
        fee_items=[
            {
                "name": item.get("name", ""),
                "kind": "Lệ phí" if item.get("kind") == "charge" else "Phí",
                "amount": format_vnd(int(item.get("amount_vnd") or 0)),
            }
            for item in payment.fee_items
        ],
        total=format_vnd(payment.amount_vnd),
        total_in_words=amount_in_words(payment.amount_vnd),
        paid_at=format_time(payment.paid_at),
        gateway=payment.get_gateway_flag_display() if payment.gateway_flag else payment.gateway,
    )
    return context
