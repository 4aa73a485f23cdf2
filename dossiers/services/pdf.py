"""The official papers (Circular 03/2025/TT-VPCP Annex I) rendered as PDF.

``document_render(document_id)`` is what the Celery task
``dossiers.tasks.document_render`` runs after ``document_issue`` committed the
row. It claims the row (compare-and-set, so two workers never render the same
paper), builds the context of the paper's kind, renders the Django template
and converts it with WeasyPrint. Fonts are embedded (DejaVu Sans, with
Noto Sans as fallback: both carry the Vietnamese glyphs).

Forms are looked up in ``FORMS`` (kind → template, context builder, page
size). Forms 04–07 are added with ``@register_form(kind, template)`` on a
function taking the ``DossierDocument`` and returning the form's own context.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from procedures.models.catalogue import TIME_UNIT_CHOICES
from tthc_portal.audit.services import audit_record

from ..models import (
    DocumentKind,
    Dossier,
    DossierDocument,
    Payment,
    RenderStatus,
    SourceForm,
    StatusHistory,
    SupplementRequest,
)

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "dossiers/forms/circular_03_2025"
# Forms 01–05 of the circulars are printed on A5, the register (07) on A4.
A5 = "A5 portrait"
A4 = "A4 portrait"
MAX_ERROR_CHARS = 2000

ContextBuilder = Callable[[DossierDocument], dict[str, Any]]


class FormSpec(NamedTuple):
    template: str
    build_context: ContextBuilder
    page_size: str = A5


# kind → (template, context builder, page size). Extend with ``register_form``.
FORMS: dict[str, FormSpec] = {}


def register_form(
    kind: str, template: str, *, page_size: str = A5
) -> Callable[[ContextBuilder], ContextBuilder]:
    """Register the template and context builder of one kind of paper."""

    def decorator(builder: ContextBuilder) -> ContextBuilder:
        FORMS[str(kind)] = FormSpec(template, builder, page_size)
        return builder

    return decorator


# --- Vietnamese formatting -----------------------------------------------------

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu")  # then "tỷ", recursively (nghìn tỷ, triệu tỷ…)


def _three_digits(number: int, *, leading: bool) -> list[str]:
    """Read 0 < number < 1000. A non-leading group always says its hundreds
    ("không trăm") and a zero tens digit before a unit is "lẻ"."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("lẻ")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(_DIGITS[units])
    return words


def _below_billion(number: int, *, leading: bool) -> list[str]:
    words: list[str] = []
    groups = [(number // 1_000_000) % 1000, (number // 1000) % 1000, number % 1000]
    for index, group in enumerate(groups):
        if not group:
            continue
        words += _three_digits(group, leading=leading and not words)
        scale = _GROUPS[2 - index]
        if scale:
            words.append(scale)
    return words


def _read(number: int, *, leading: bool = True) -> list[str]:
    billions, rest = divmod(number, 1_000_000_000)
    words: list[str] = []
    if billions:
        words += [*_read(billions, leading=leading), "tỷ"]
    if rest:
        words += _below_billion(rest, leading=leading and not words)
    return words


def amount_in_words(amount: int) -> str:
    """An amount of đồng in Vietnamese words, as printed on receipts:
    50 000 → "Năm mươi nghìn đồng", 1 000 005 → "Một triệu không trăm lẻ năm đồng"."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    text = " ".join([*(_read(amount) or ["không"]), "đồng"])
    return text[0].upper() + text[1:]


def format_number(value: int | Decimal) -> str:
    """1400000 → "1.400.000"; Decimal("0.50") → "0,5"."""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            value = int(value)
        else:
            whole, _, fraction = f"{value:f}".partition(".")
            return f"{format_number(int(whole))},{fraction}"
    return f"{value:,}".replace(",", ".")


def format_vnd(amount: int) -> str:
    return f"{format_number(amount)} đ"


def format_date(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""


def format_time(value: datetime | None) -> str:
    """ "10 giờ 05 phút, ngày 24/01/2025"."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def format_long_date(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def processing_time_text(dossier: Dossier) -> str:
    """The legal time limit in words of its unit, from the dossier's snapshot."""
    version = dossier.procedure_version
    unit = dossier.time_unit or version.time_unit
    limit = dossier.time_limit if dossier.time_limit is not None else version.time_limit
    labels = {value: str(label) for value, label in TIME_UNIT_CHOICES}
    if unit == "same_day":
        cutoff = dossier.cutoff_time or version.cutoff_time
        text = "Trong ngày"
        if cutoff:
            text += (
                f" (nhận sau {cutoff:%H} giờ {cutoff:%M} phút thì trả trong"
                " ngày làm việc tiếp theo)"
            )
        return text
    if unit == "immediate":
        return "Ngay sau khi nhận đủ hồ sơ hợp lệ"
    if limit is None:
        return version.time_text or ""
    return f"{format_number(limit)} {labels.get(unit, unit)}"


# --- QR code (Circular 01/2023: top-left of every paper) ---------------------


def lookup_url(dossier: Dossier) -> str:
    return f"{settings.TTHC['SITE_URL'].rstrip('/')}/tra-cuu/{dossier.lookup_token}/"


def qr_payload(document: DossierDocument) -> str:
    """Codes plus a lookup link; the only personal datum is the ID number."""
    dossier = document.dossier
    procedure = dossier.procedure_version.procedure
    fields = [
        "TTHC",
        dossier.code or "",
        procedure.code or "",
        dossier.applicant_id_number,
        str(DocumentKind(document.kind).label),
        lookup_url(dossier),
    ]
    return "|".join(field.replace("|", "/") for field in fields)


def qr_svg_data_uri(payload: str) -> str:
    qr = segno.make(payload, error="m", encoding="utf-8", micro=False)
    return qr.svg_data_uri(scale=1, border=2, dark="#000", light="#fff")


# --- shared context ----------------------------------------------------------------


def _place_name() -> str:
    place = settings.TTHC.get("PLACE_NAME") or settings.TTHC.get("PROVINCE_NAME", "")
    for prefix in ("Tỉnh ", "tỉnh ", "Thành phố ", "thành phố "):
        place = place.removeprefix(prefix)
    return place


def _actor_of(dossier: Dossier, action: str) -> StatusHistory | None:
    return (
        StatusHistory.objects.filter(dossier=dossier, action=action)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def _name(user: Any) -> str:
    return user.display_name if user is not None else ""


def base_context(document: DossierDocument, issued_at: datetime) -> dict[str, Any]:
    """What every paper carries: header, motto (in the template), number,
    place and date, and the QR code."""
    dossier = document.dossier
    agency = dossier.receiving_agency
    desk = agency.one_stop_desk
    parent_body = agency.parent.name if agency.parent_id else settings.TTHC["PROVINCE_NAME"]
    payload = qr_payload(document)
    return {
        "document": document,
        "dossier": dossier,
        "procedure": dossier.procedure_version.procedure,
        "version": dossier.procedure_version,
        "agency": agency,
        "agency_code": dossier.receiving_agency_code or agency.code,
        "desk": desk,
        "desk_phone": (desk.phone if desk else "") or "",
        "parent_body": parent_body,
        "section": desk.name if desk else agency.name,
        "title": str(DocumentKind(document.kind).label),
        "number": document.number,
        "place": _place_name(),
        "issued_on": format_long_date(issued_at),
        "qr_src": qr_svg_data_uri(payload),
        "qr_caption": dossier.code or "",
        "lookup_url": lookup_url(dossier),
    }


def _applicant(dossier: Dossier) -> dict[str, str]:
    return {
        "name": dossier.applicant_name,
        "id_number": dossier.applicant_id_number,
        "address": dossier.applicant_address,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
    }


def _representative(dossier: Dossier) -> dict[str, str] | None:
    if not dossier.representative_name:
        return None
    return {
        "name": dossier.representative_name,
        # The dossier snapshot has no address/email for the representative yet.
        "address": getattr(dossier, "representative_address", "") or "",
        "id_number": dossier.representative_id_number,
        "phone": dossier.representative_phone,
        "email": getattr(dossier, "representative_email", "") or "",
        "authorisation": dossier.representative_authorisation,
    }


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


# --- the forms ------------------------------------------------------------------------


@register_form(DocumentKind.RECEIPT, f"{TEMPLATE_DIR}/01_receipt.html")
def receipt_context(document: DossierDocument) -> dict[str, Any]:
    dossier = document.dossier
    received = _actor_of(dossier, "receive")
    received_at = dossier.received_at or document.created_at
    context = base_context(document, received_at)
    context.update(
        applicant=_applicant(dossier),
        representative=_representative(dossier),
        components=_components(dossier),
        sets_count=f"{dossier.sets_count:02d}",
        processing_time=processing_time_text(dossier),
        received_at=format_time(dossier.received_at),
        due_at=format_time(dossier.due_at),
        result_place=_result_place(dossier, context["desk"]),
        register=_register_entry(dossier),
        officer_name=_name(received.actor if received else None),
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
        applicant=_applicant(dossier),
        request=request,
        items=[
            {"name": item.get("name") or "", "reason": item.get("reason") or ""}
            for item in request.items
        ],
        officer_name=_name(request.requested_by),
        requested_at=format_time(request.requested_at),
    )
    return context


@register_form(DocumentKind.REFUSAL, f"{TEMPLATE_DIR}/03_refusal.html")
def refusal_context(document: DossierDocument) -> dict[str, Any]:
    dossier = document.dossier
    refused = _actor_of(dossier, "refuse")
    refused_at = dossier.completed_at or (refused.at if refused else document.created_at)
    context = base_context(document, refused_at)
    context.update(
        applicant=_applicant(dossier),
        reasons=[line.strip() for line in dossier.refusal_reason.splitlines() if line.strip()],
        officer_name=_name(refused.actor if refused else None),
    )
    return context


@register_form(DocumentKind.PAYMENT_RECEIPT, f"{TEMPLATE_DIR}/payment_receipt.html")
def payment_receipt_context(document: DossierDocument) -> dict[str, Any]:
    dossier = document.dossier
    payment = Payment.objects.get(pk=document.source_id, dossier=dossier)
    context = base_context(document, payment.paid_at or document.created_at)
    context.update(
        payment=payment,
        applicant=_applicant(dossier),
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


# --- rendering ------------------------------------------------------------------------


def _url_fetcher():
    """Only data: URIs (the QR code): a paper never fetches from the network or
    the file system, whatever text the applicant typed."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher()
    ).write_pdf()


def render_html(document: DossierDocument) -> str:
    spec = FORMS.get(document.kind)
    if spec is None:
        raise LookupError(f"No form template registered for kind {document.kind!r}")
    with translation.override("vi"):
        context = spec.build_context(document)
        context.setdefault("page_size", spec.page_size)
        return render_to_string(spec.template, context)


def _stale_after() -> timedelta:
    """A render never outlives the task time limit: a paper still "rendering"
    longer than that after it was issued lost its worker and may be claimed
    again (``documents_requeue_stale`` re-queues it)."""
    return timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", None) or 30 * 60)


def document_render(document_id: int) -> str:
    """Render one issued paper; returns the document's status afterwards.

    Idempotent: only a pending or failed row is claimed (or one whose worker
    died), so a ready paper is never rendered again and a paper being rendered
    elsewhere is left alone.
    """
    claimable = Q(status__in=(RenderStatus.PENDING, RenderStatus.FAILED)) | Q(
        status=RenderStatus.RENDERING, created_at__lt=timezone.now() - _stale_after()
    )
    claimed = DossierDocument.objects.filter(claimable, pk=document_id).update(
        status=RenderStatus.RENDERING, error=""
    )
    if not claimed:
        status = DossierDocument.objects.filter(pk=document_id).values_list("status", flat=True)
        return status.first() or ""
    document = DossierDocument.objects.select_related(
        "dossier__procedure_version__procedure",
        "dossier__receiving_agency__parent",
        "dossier__receiving_agency__one_stop_desk",
    ).get(pk=document_id)
    previous = document.file.name if document.file else ""
    stored = ""
    try:
        pdf = html_to_pdf(render_html(document))
        document.file.save(f"{document.kind}.pdf", ContentFile(pdf), save=False)
        stored = document.file.name
        document.status = RenderStatus.READY
        document.rendered_at = timezone.now()
        document.error = ""
        document.save(update_fields=["file", "status", "rendered_at", "error"])
    except Exception as exc:
        if stored:
            document.file.storage.delete(stored)
        DossierDocument.objects.filter(pk=document_id).update(
            status=RenderStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
        )
        logger.exception("Rendering document %s failed", document_id)
        raise
    if previous and previous != stored:
        document.file.storage.delete(previous)
    return RenderStatus.READY


def document_retry(*, actor: Any, document: DossierDocument) -> bool:
    """Put a failed paper back in the queue (failed → pending, then render
    after commit). Returns False when the paper had not failed."""
    from ..tasks import document_render as render_task  # the task imports this module

    reset = DossierDocument.objects.filter(pk=document.pk, status=RenderStatus.FAILED).update(
        status=RenderStatus.PENDING, error=""
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
