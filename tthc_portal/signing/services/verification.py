"""Verifying the signatures of a PDF against the configured trust anchors.

Every embedded signature is validated by pyHanko: the digest of the signed
byte ranges (intact), the signature value, the certificate path to a trust
root of the backend (no fetching), revocation by the locally known CRLs, and
a difference analysis of any incremental update appended after signing, so a
content change made after the signature is caught even though the signed
bytes themselves are untouched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO

from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from ..backends import get_backend
from ..conf import signing_settings
from .loops import off_loop

logger = logging.getLogger(__name__)

_EXPIRY = {
    AdESIndeterminate.EXPIRED,
    AdESIndeterminate.NOT_YET_VALID,
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
}
_REVOKED = {AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE}


@dataclass(frozen=True)
class SignatureDetail:
    """One signature of the document."""

    field_name: str
    intact: bool
    trusted: bool
    signer: str
    agency_code: str | None
    signed_at: datetime | None
    signer_name: str = ""
    reason: str = ""
    location: str = ""
    issuer: str = ""
    serial: str = ""
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignatureReport:
    """What ``pdf_verify`` found. The top-level signer fields describe the
    last signature (the most recent revision); ``intact``/``trusted`` hold for
    every signature."""

    signed: bool
    intact: bool
    trusted: bool
    valid: bool
    signer: str
    agency_code: str | None
    signed_at: datetime | None
    summary: str
    problems: list[str] = field(default_factory=list)
    signer_name: str = ""
    reason: str = ""
    location: str = ""
    signatures: tuple[SignatureDetail, ...] = ()


def _name_part(cert: asn1_x509.Certificate, key: str) -> str:
    value = cert.subject.native.get(key)
    if isinstance(value, list):  # a repeated attribute
        value = value[-1] if value else ""
    return str(value or "")


def _signer_of(cert: asn1_x509.Certificate) -> str:
    return (
        _name_part(cert, "common_name")
        or _name_part(cert, "organization_name")
        or cert.subject.human_friendly
    )


def _issuer_of(cert: asn1_x509.Certificate) -> str:
    issuer = cert.issuer.native
    return str(issuer.get("common_name") or issuer.get("organization_name") or "")


def _text(sig: EmbeddedPdfSignature, key: str) -> str:
    value = sig.sig_object.get(key)
    return str(value) if value is not None else ""


def _intact(status: PdfSignatureStatus) -> bool:
    """Signed bytes unchanged, signature value correct, and whatever was
    appended afterwards only signs or fills forms (a later signature)."""
    return (
        status.intact
        and status.valid
        and status.coverage
        in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)
        and bool(status.docmdp_ok)
    )


def _problems(status: PdfSignatureStatus, label: str) -> list[str]:
    problems = []
    values = {"field": label}
    if not status.intact:
        problems.append(
            _("Nội dung tài liệu không khớp với chữ ký %(field)s: tệp đã bị sửa.") % values
        )
    elif not status.valid:
        problems.append(_("Giá trị chữ ký %(field)s không đúng.") % values)
    elif not _intact(status):
        problems.append(_("Tài liệu đã bị sửa đổi sau khi ký (sau chữ ký %(field)s).") % values)
    indication = status.trust_problem_indic
    if status.revoked or indication in _REVOKED:
        problems.append(_("Chứng thư của chữ ký %(field)s đã bị thu hồi.") % values)
    elif indication in _EXPIRY:
        problems.append(
            _("Chứng thư của chữ ký %(field)s đã hết hạn hoặc chưa có hiệu lực.") % values
        )
    elif status.intact and status.valid and not status.trusted:
        problems.append(
            _("Chứng thư của chữ ký %(field)s không do tổ chức cấp chứng thư được tin cậy cấp.")
            % values
        )
    return problems


def _detail(sig: EmbeddedPdfSignature, context: ValidationContext) -> SignatureDetail:
    label = str(sig.field_name or "")
    try:
        status = off_loop(lambda: validate_pdf_signature(sig, context))
    except Exception as exc:  # an adversarial file must yield a report, not a 500
        logger.warning("Could not validate signature %s: %s", label, type(exc).__name__)
        return SignatureDetail(
            field_name=label,
            intact=False,
            trusted=False,
            signer="",
            agency_code=None,
            signed_at=None,
            problems=(_("Không kiểm tra được chữ ký %(field)s.") % {"field": label},),
        )
    cert = status.signing_cert
    return SignatureDetail(
        field_name=label,
        intact=_intact(status),
        # The path to a trust root, whatever happened to the content.
        trusted=status.validation_path is not None and status.trust_problem_indic is None,
        signer=_signer_of(cert),
        agency_code=_name_part(cert, "organization_identifier") or None,
        signed_at=status.signer_reported_dt,
        signer_name=_text(sig, "/Name"),
        reason=_text(sig, "/Reason"),
        location=_text(sig, "/Location"),
        issuer=_issuer_of(cert),
        serial=format(cert.serial_number, "x"),
        problems=tuple(_problems(status, label)),
    )


def _unsigned(summary: str, problems: list[str]) -> SignatureReport:
    return SignatureReport(
        signed=False,
        intact=False,
        trusted=False,
        valid=False,
        signer="",
        agency_code=None,
        signed_at=None,
        summary=summary,
        problems=problems,
    )


def _summary(details: list[SignatureDetail], intact: bool, trusted: bool) -> str:
    last = details[-1]
    if intact and trusted:
        return _("Chữ ký số hợp lệ: tài liệu toàn vẹn, chứng thư do %(issuer)s cấp.") % {
            "issuer": last.issuer
        }
    if not intact and not trusted:
        return _(
            "Chữ ký số không hợp lệ: tài liệu đã bị thay đổi sau khi ký và chứng thư "
            "không được tin cậy."
        )
    if not intact:
        return _("Chữ ký số không hợp lệ: tài liệu đã bị thay đổi sau khi ký.")
    return _(
        "Chữ ký số không được tin cậy: tài liệu toàn vẹn nhưng chứng thư của người ký "
        "không hợp lệ hoặc không do tổ chức được tin cậy cấp."
    )


def pdf_verify(pdf_bytes: bytes) -> SignatureReport:
    """Check every signature of ``pdf_bytes``; never raises on bad input."""
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes))
        signatures = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        logger.info("Unreadable PDF submitted for verification: %s", type(exc).__name__)
        return _unsigned(_("Không đọc được tệp PDF."), [_("Tệp không phải PDF hợp lệ.")])
    if not signatures:
        return _unsigned(_("Tài liệu không có chữ ký số."), [])

    backend = get_backend()
    context = ValidationContext(
        trust_roots=backend.trust_roots(),
        crls=backend.crls(),
        allow_fetching=bool(signing_settings()["ALLOW_FETCHING"]),
    )
    details = [_detail(sig, context) for sig in signatures]
    intact = all(detail.intact for detail in details)
    trusted = all(detail.trusted for detail in details)
    last = details[-1]
    return SignatureReport(
        signed=True,
        intact=intact,
        trusted=trusted,
        valid=intact and trusted,
        signer=last.signer,
        agency_code=last.agency_code,
        signed_at=last.signed_at,
        summary=_summary(details, intact, trusted),
        problems=[problem for detail in details for problem in detail.problems],
        signer_name=last.signer_name,
        reason=last.reason,
        location=last.location,
        signatures=tuple(details),
    )
