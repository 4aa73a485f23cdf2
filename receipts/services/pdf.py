"""The receipt as a PDF (WeasyPrint), signed with the collecting agency's certificate:
the e-receipt must carry the collecting organisation's digital signature (Art. 23(2))."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.services.pdf.render import render_template_pdf
from dossiers.services.pdf.text import format_vnd
from tthc_portal.signing.services import pdf_sign

from ..models import Receipt, ReceiptStatus

TEMPLATE = "receipts/receipt_pdf.html"


def receipt_context(receipt: Receipt) -> dict:
    series = receipt.series
    issued = timezone.localtime(receipt.issued_at or receipt.created_at)
    return {
        "receipt": receipt,
        "series": series,
        "issued": issued,
        "rows": [
            {**row, "amount": format_vnd(int(row["amount_vnd"]))} for row in receipt.fee_items
        ],
        "total": format_vnd(receipt.amount_vnd),
        "replaces": receipt.replaces,
        "page_size": "A5",
    }


def receipt_pdf_render(receipt_id: int) -> Receipt:
    receipt = Receipt.objects.select_related("series__agency", "replaces", "dossier").get(
        pk=receipt_id
    )
    if receipt.status != ReceiptStatus.ISSUED or receipt.pdf:
        return receipt
    unsigned = render_template_pdf(TEMPLATE, receipt_context(receipt))
    signed = pdf_sign(
        unsigned,
        agency=receipt.series.agency,
        signer_name=receipt.series.organisation_name,
        reason=_("Biên lai thu phí, lệ phí điện tử %(number)s") % {"number": str(receipt)},
        location=receipt.series.point_name,
    )
    with transaction.atomic():
        locked = Receipt.objects.select_for_update().get(pk=receipt_id)
        if locked.pdf:
            return locked
        name = f"{locked.receipt_symbol}-{locked.number_text}.pdf"
        locked.pdf.save(name, ContentFile(signed), save=False)
        locked.save(update_fields=["pdf"])
    return locked
