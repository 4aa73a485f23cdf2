"""Papers of the processing stage: form 04 (apology), 05 (stop notice), 06
(control sheet), the not-eligible notice and the result drawn from the template."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from ...models import (
    Apology,
    DocumentKind,
    Dossier,
    DossierDocument,
    DossierStep,
    StatusHistory,
    StepKind,
)
from .context import (
    actor_of,
    applicant_of,
    base_context,
    issuer_header,
    person_name,
    resolving_agency,
)
from .registry import A4, TEMPLATE_DIR, register_form
from .signing import signer_title
from .text import format_date, format_short, format_time, paragraphs

# --- form 05 wording -------------------------------------------------------------------
# Form 05 is new in Circular 03/2025 and its text was not reproduced in the
# sources read (dossier-lifecycle §13: unconfirmed). Its statements are data:
# ``settings.TTHC["STOP_NOTICE_TEXT"]`` may override any entry, per case.
# Placeholders: {code} {procedure} {applicant} {requested_on} {channel}
# {centre} {agency} {desk}.
STOP_NOTICE_TEXT: dict[str, dict[str, str]] = {
    "withdrawn": {
        "request": (
            "Ngày {requested_on}, ông/bà/tổ chức {applicant} đề nghị rút hồ sơ, dừng giải "
            "quyết thủ tục hành chính qua {channel}."
        ),
        "stop": (
            "{centre} thông báo dừng giải quyết hồ sơ mã số {code} theo đề nghị của ông/bà/tổ chức."
        ),
        "papers": (
            "Giấy tờ bản chính đã nộp (nếu có) được trả lại cho ông/bà/tổ chức tại {desk}; "
            "hồ sơ điện tử được lưu trên Hệ thống thông tin giải quyết thủ tục hành chính "
            "và không tiếp tục được xử lý."
        ),
        "fees": (
            "Phí, lệ phí đã nộp (nếu có) được xử lý theo quy định của pháp luật về phí, lệ "
            "phí; khoản phí, lệ phí chưa sử dụng được hoàn trả theo quy định."
        ),
        "signer_role": "Thủ trưởng cơ quan",
    },
    "stopped": {
        "request": (
            "Ngày {requested_on}, {channel} ({agency}) quyết định dừng giải quyết hồ sơ của "
            "ông/bà/tổ chức {applicant}."
        ),
        "stop": "{centre} thông báo hồ sơ mã số {code} dừng giải quyết kể từ ngày {requested_on}.",
        "papers": (
            "Giấy tờ bản chính đã nộp (nếu có) được trả lại cho ông/bà/tổ chức tại {desk}; "
            "hồ sơ điện tử được lưu trên Hệ thống thông tin giải quyết thủ tục hành chính."
        ),
        "fees": (
            "Phí, lệ phí đã nộp (nếu có) được xử lý theo quy định của pháp luật về phí, lệ "
            "phí; ông/bà/tổ chức có thể nộp hồ sơ mới khi đủ điều kiện."
        ),
        "signer_role": "Thủ trưởng cơ quan",
    },
}


class _Blank(dict):
    """str.format_map that leaves an unknown placeholder empty instead of failing:
    an administrator's wording must never break a paper."""

    def __missing__(self, key: str) -> str:
        return ""


def stop_notice_text(case: str) -> dict[str, str]:
    """The statements of form 05 for ``case`` ("withdrawn" or "stopped"),
    the defaults overlaid with ``settings.TTHC["STOP_NOTICE_TEXT"][case]``."""
    overrides = (settings.TTHC.get("STOP_NOTICE_TEXT") or {}).get(case) or {}
    return {**STOP_NOTICE_TEXT[case], **overrides}


# --- form 04 ---------------------------------------------------------------------------


@register_form(DocumentKind.APOLOGY, f"{TEMPLATE_DIR}/04_apology.html")
def apology_context(document: DossierDocument) -> dict[str, Any]:
    dossier = document.dossier
    apology = Apology.objects.select_related("issued_by", "agency__parent").get(
        pk=document.source_id, dossier=dossier
    )
    context = base_context(document, apology.issued_at)
    context.update(issuer_header(apology.agency))
    context.update(
        applicant=applicant_of(dossier),
        apology=apology,
        received_on=format_date(dossier.received_at),
        original_due=format_time(apology.original_due_at),
        new_due=format_time(apology.new_due_at),
        reasons=paragraphs(apology.reason),
        signer_name=person_name(apology.issued_by),
    )
    return context


# --- form 05 ---------------------------------------------------------------------------


def _stop_entry(dossier: Dossier) -> StatusHistory | None:
    """Withdrawal or stop, whichever ended the dossier (its status may since be archived)."""
    return (
        StatusHistory.objects.filter(dossier=dossier, action__in=("withdraw", "stop"))
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


@register_form(DocumentKind.STOP_NOTICE, f"{TEMPLATE_DIR}/05_stop_notice.html")
def stop_notice_context(document: DossierDocument) -> dict[str, Any]:
    dossier = document.dossier
    entry = _stop_entry(dossier)
    case = "withdrawn" if (entry is None or entry.action == "withdraw") else "stopped"
    requested_at = dossier.stop_requested_at or (entry.at if entry else None)
    issued_at = dossier.completed_at or requested_at or document.created_at or timezone.now()
    context = base_context(document, issued_at)
    desk = context["desk"]
    values = _Blank(
        code=dossier.code or "",
        procedure=dossier.procedure_version.name,
        applicant=dossier.applicant_name,
        requested_on=format_date(requested_at),
        channel=dossier.stop_request_channel,
        centre=context["section"],
        agency=resolving_agency(dossier).name,
        desk=desk.name if desk else dossier.receiving_agency.name,
    )
    text = stop_notice_text(case)
    # The applicant withdrawing online signs nothing: the notice is the centre's.
    actor = entry.actor if entry else None
    if actor is not None and actor.pk == dossier.applicant_id:
        actor = None
    if document.register_number:
        # Issued during processing: the resolving agency's paper, numbered in
        # its register and signed by the person who stopped it (the head) and
        # the agency — only the agency when the citizen withdrew online.
        agency = resolving_agency(dossier)
        context.update(issuer_header(agency))
        context.update(
            number=document.register_number,
            signing_agency=agency,
            signer=actor,
            signer_title=signer_title(actor, agency),
        )
    context.update(
        case=case,
        applicant=applicant_of(dossier),
        requested_at=format_time(requested_at),
        channel=dossier.stop_request_channel,
        reasons=paragraphs(dossier.stop_reason),
        statements=[text[key].format_map(values) for key in ("request", "stop", "papers", "fees")],
        signer_role=text.get("signer_role", ""),
        signer_name=person_name(actor),
    )
    return context


# --- form 06 ---------------------------------------------------------------------------


def appointment_text(dossier: Dossier, apology: Apology | None) -> dict[str, str]:
    """The appointment as printed: the current one, and the original when an
    apology moved it (form 06, register)."""
    if dossier.due_at is None and dossier.is_open:
        current = "Tạm dừng tính thời gian (chờ bổ sung hồ sơ)"
    else:
        current = format_time(dossier.due_at)
    return {
        "current": current,
        "original": format_time(apology.original_due_at) if apology else "",
    }


def _step_row(step: DossierStep, first: bool, dossier: Dossier) -> dict[str, str]:
    giver = person_name(step.handed_over_by)
    if not giver and first:
        giver = dossier.applicant_name  # the first row: the applicant hands in the dossier
    outcome = step.get_outcome_display() if step.outcome else ""
    if step.completed_at is None:
        outcome = "Đang xử lý"
    note = step.note
    if step.kind == StepKind.CONSULT and step.request_text:
        note = f"Nội dung xin ý kiến: {step.request_text}" + (f". Trả lời: {note}" if note else "")
    return {
        "unit": step.agency.name,
        "task": step.name,
        "giver": giver,
        "receiver": person_name(step.assignee),
        "handed_at": format_time(step.started_at),
        "completed_at": format_short(step.completed_at),
        "result": step.get_timeliness_display() if step.counted and step.timeliness else "",
        "note": "; ".join(part for part in (outcome, note) if part),
    }


@register_form(DocumentKind.CONTROL_SHEET, f"{TEMPLATE_DIR}/06_control_sheet.html", page_size=A4)
def control_sheet_context(document: DossierDocument) -> dict[str, Any]:
    from ...selectors_processing import dossier_steps

    dossier = document.dossier
    steps = list(dossier_steps(dossier))
    apology = Apology.objects.filter(dossier=dossier).first()
    consulted: list[str] = []
    for step in steps:
        if step.kind == StepKind.CONSULT and step.agency.name not in consulted:
            consulted.append(step.agency.name)
    receipt_number = (
        dossier.documents.filter(kind=DocumentKind.RECEIPT)
        .order_by("pk")
        .values_list("number", flat=True)
        .first()
    )
    context = base_context(document, document.created_at or timezone.now())
    context.update(
        resolving_agency=resolving_agency(dossier),
        coordinating=consulted,
        received_at=format_time(dossier.received_at),
        appointment=appointment_text(dossier, apology),
        receipt_number=receipt_number or "",
        rows=[_step_row(step, index == 0, dossier) for index, step in enumerate(steps)],
    )
    return context


# --- not eligible ------------------------------------------------------------------------


@register_form(DocumentKind.NOT_ELIGIBLE, f"{TEMPLATE_DIR}/tb_not_eligible.html")
def not_eligible_context(document: DossierDocument) -> dict[str, Any]:
    dossier = document.dossier
    rejected = actor_of(dossier, "reject")
    issued_at = dossier.completed_at or (rejected.at if rejected else None)
    agency = resolving_agency(dossier)
    context = base_context(document, issued_at or document.created_at or timezone.now())
    context.update(issuer_header(agency))
    context.update(
        applicant=applicant_of(dossier),
        received_on=format_date(dossier.received_at),
        reasons=paragraphs(dossier.refusal_reason),
        signer_name=person_name(rejected.actor if rejected else None),
    )
    return context


# --- the result drafted from the template -------------------------------------------------


@register_form(DocumentKind.RESULT, f"{TEMPLATE_DIR}/kq_result.html", page_size=A4)
def result_context(document: DossierDocument) -> dict[str, Any]:
    """Rendered before the document is saved (``result_draft_generate``): no pk,
    no created_at; ``number`` is the would-be result code. The paper's own
    number (số văn bản) is the register number given at signature; a draft
    prints it blank, as a draft on paper does."""
    from ..paper_numbers import register_number_blank

    dossier = document.dossier
    agency = resolving_agency(dossier)
    issued_at = document.signed_at or document.created_at or timezone.now()
    context = base_context(document, issued_at)
    context.update(issuer_header(agency))
    context.update(
        title="Kết quả giải quyết thủ tục hành chính",
        applicant=applicant_of(dossier),
        content=paragraphs(document.content),
        result_code=document.number,
        number=document.register_number or register_number_blank(agency, DocumentKind.RESULT),
        signed=document.signed_at is not None,
        signer_name=person_name(document.signed_by) if document.signed_at else "",
        signer_title=document.signer_title,
        signer_role="Thủ trưởng cơ quan",
    )
    return context
