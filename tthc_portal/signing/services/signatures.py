"""Signing a PDF: a PAdES baseline (B-B) signature made with pyHanko.

The signature is an incremental update, so the bytes of the original PDF are
kept as they were; the CMS container carries the agency certificate and its
issuers. With the demo CA the root's current CRL is embedded as well (a DSS
revision, PAdES LTV), so a PDF reader can check revocation offline.

The optional visible stamp ("Ký bởi: <cơ quan>", signer, time) is a one-page
PDF rendered by WeasyPrint with the same fonts as the documents (DejaVu Sans,
with Vietnamese glyphs) and placed as the widget's appearance.
"""

from __future__ import annotations

import binascii
import hashlib
import logging
import uuid
from io import BytesIO
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from tthc_portal.agencies.models import Agency
from tthc_portal.audit.services import audit_record

from ..backends import get_backend
from ..conf import signing_settings
from ..crypto import wall_clock
from ..errors import SigningError
from .loops import off_loop

logger = logging.getLogger(__name__)

# Stamp size and distance from the page's bottom-right corner, in points.
STAMP_WIDTH = 190
STAMP_HEIGHT = 54
STAMP_MARGIN = 24

Box = tuple[float, float, float, float]


class _PdfPageContent(content.PdfContent):
    """The first page of an in-memory PDF as a form XObject (pyHanko's
    ``ImportedPdfPage`` only reads files)."""

    def __init__(self, pdf: bytes) -> None:
        super().__init__()
        self._pdf = pdf

    def render(self) -> bytes:
        if self.writer is None:
            raise ValueError("PDF writer is not set")
        xobject = self.writer.import_page_as_xobject(PdfFileReader(BytesIO(self._pdf)), page_ix=0)
        name = "/Stamp" + binascii.hexlify(uuid.uuid4().bytes).decode("ascii")
        self.resources.xobject[name] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return name.encode("ascii") + b" Do"


def _stamp_pdf(*, width: float, height: float, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "signing/stamp.html", {**context, "width": f"{width:.2f}", "height": f"{height:.2f}"}
    )
    # Nothing to fetch: whatever the names contain, no file or URL is read.
    fetcher = URLFetcher(allowed_protocols=set(), fail_on_errors=True)
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf()


def _default_box(writer: IncrementalPdfFileWriter, page: int) -> Box:
    """Bottom-right corner of the page, inside the page whatever its size."""
    page_ref, _resources = writer.find_page_for_modification(page)
    page_obj = page_ref.get_object()
    try:
        left, bottom, right, top = (float(value) for value in page_obj["/MediaBox"])
    except (KeyError, TypeError, ValueError):
        left, bottom, right, top = 0.0, 0.0, 595.0, 842.0  # A4
    width = min(STAMP_WIDTH, right - left - 2 * STAMP_MARGIN)
    height = min(STAMP_HEIGHT, top - bottom - 2 * STAMP_MARGIN)
    x2, y1 = right - STAMP_MARGIN, bottom + STAMP_MARGIN
    return (x2 - width, y1, x2, y1 + height)


def _validation_info(backend, credentials, *, fetching: bool) -> dict[str, Any]:
    """Embed the certificate path and revocation lists (PAdES LTV) when they
    are at hand, so a reader validates offline; the signer's certificate is
    then also checked before signing."""
    crls = backend.revocation_info_for(credentials)
    if crls is None and not fetching:
        return {}
    context = ValidationContext(
        trust_roots=backend.trust_roots(), crls=crls or [], allow_fetching=fetching
    )
    return {"embed_validation_info": True, "validation_context": context}


def _field_state(writer: IncrementalPdfFileWriter, name: str) -> str:
    """State of the named signature field: "filled", "empty" or "absent"."""
    for field_name, value, _ref in fields.enumerate_sig_fields(writer.prev, with_name=name):
        if field_name == name:
            return "filled" if value is not None else "empty"
    return "absent"


def pdf_sign(
    pdf_bytes: bytes,
    *,
    agency: Agency,
    signer_name: str,
    reason: str,
    location: str,
    field_name: str = "Signature1",
    visible: bool | None = None,
    stamp_box: Box | None = None,
    page: int = -1,
    actor: Any = None,
    person: Any = None,
    title: str = "",
) -> bytes:
    """Sign ``pdf_bytes`` with the agency's key; returns the signed PDF.

    ``signer_name`` is the person who approved (the PDF's /Name entry and the
    stamp), the certificate is the agency's. ``visible`` defaults to
    ``TTHC["SIGNING"]["VISIBLE_STAMP"]``; the stamp goes to ``stamp_box``
    (x1, y1, x2, y2 in points) on ``page`` (negative counts from the end),
    by default the bottom-right corner of the last page. A document may carry
    several signatures, each in its own ``field_name``.

    With ``person`` (a user) the signature is the person's own, made with
    their personal certificate as ``title`` of ``agency`` (the head's
    signature, applied before the agency's on the same paper).

    Raises ``SigningError`` (translated message) when the agency has no usable
    key or the PDF cannot be signed. Synchronous; inside a running asyncio
    loop the pyHanko part runs in a worker thread (see ``loops.off_loop``).
    """
    # Lazy translations are welcome from callers; pyHanko needs plain str.
    signer_name, reason, location = str(signer_name), str(reason), str(location)
    config = signing_settings()
    if visible is None:
        visible = bool(config["VISIBLE_STAMP"])
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes))
        state = _field_state(writer, field_name)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise SigningError(_("Tệp PDF không hợp lệ, không ký được.")) from exc
    if writer.prev.encrypted:
        raise SigningError(_("Tệp PDF đã được mã hóa, không ký được."))
    if state == "filled":
        raise SigningError(
            _("Tài liệu đã có chữ ký ở trường %(field)s; chọn tên trường khác.")
            % {"field": field_name}
        )

    backend = get_backend()
    if person is not None:
        credentials = backend.credentials_for_person(person, agency=agency, title=str(title))
    else:
        credentials = backend.credentials_for(agency)
    signer = signers.SimpleSigner(
        signing_cert=credentials.certificate,
        signing_key=credentials.private_key,
        cert_registry=SimpleCertificateStore.from_certs(list(credentials.chain)),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason or None,
        location=location or None,
        name=signer_name or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        **_validation_info(backend, credentials, fetching=bool(config["ALLOW_FETCHING"])),
    )
    stamp_style = None
    new_field = None
    if visible:
        try:
            box = stamp_box or _default_box(writer, page)
        except PdfError as exc:
            raise SigningError(_("Trang đặt dấu chữ ký không tồn tại.")) from exc
        # The clock pyHanko puts in the signature (see crypto.wall_clock).
        signed_at = timezone.localtime(wall_clock())
        stamp = _stamp_pdf(
            width=box[2] - box[0],
            height=box[3] - box[1],
            context={
                "agency": agency.name,
                "personal": person is not None,
                "title": str(title),
                "signer_name": signer_name,
                "signed_at": f"{signed_at:%H:%M} ngày {signed_at:%d/%m/%Y}",
                "reason": reason,
            },
        )
        stamp_style = StaticStampStyle(
            background=_PdfPageContent(stamp),
            background_opacity=1.0,
            border_width=0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MIN,
                margins=layout.Margins.uniform(0),
            ),
        )
        if state == "absent":
            new_field = fields.SigFieldSpec(
                sig_field_name=field_name,
                on_page=page,
                box=tuple(round(value) for value in box),
            )
    elif state == "absent":
        new_field = fields.SigFieldSpec(sig_field_name=field_name)

    pdf_signer = signers.PdfSigner(
        metadata, signer=signer, stamp_style=stamp_style, new_field_spec=new_field
    )
    try:
        signed = off_loop(lambda: pdf_signer.sign_pdf(writer).getvalue())
    except (PathValidationError, PathBuildingError, PyHankoSigningError) as exc:
        # The signer's own certificate did not validate (revoked, expired…).
        logger.warning("Certificate of agency %s did not validate: %s", agency.code, exc)
        raise SigningError(
            _("Chứng thư ký số của %(agency)s không hợp lệ (đã thu hồi hoặc hết hạn).")
            % {"agency": agency.name}
        ) from exc
    except (PdfError, ValueError) as exc:
        logger.warning("Signing a PDF for agency %s failed: %s", agency.code, type(exc).__name__)
        raise SigningError(_("Không ký được tệp PDF này.")) from exc

    audit_record(
        actor=actor,
        action="signing.pdf_sign",
        target=agency,
        after={
            "serial": credentials.serial,
            "personal": person is not None,
            "field": field_name,
            "signer_name": signer_name,
            "reason": reason,
            "sha256": hashlib.sha256(signed).hexdigest(),
        },
    )
    return signed
