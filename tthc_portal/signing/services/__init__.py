"""Signing services: the public API of ``tthc_portal.signing``.

- ``ca_ensure_root() -> CertificateAuthority``
- ``agency_certificate_issue(agency, *, force=False) -> AgencyCertificate``
- ``agency_certificates_issue_all() -> int``
- ``agency_certificate_revoke(certificate, *, reason="") -> AgencyCertificate``
- ``pdf_sign(pdf_bytes, *, agency, signer_name, reason, location,
  field_name="Signature1") -> bytes``
- ``pdf_verify(pdf_bytes) -> SignatureReport``
"""

from ..errors import SigningError
from .certificates import (
    agency_certificate_issue,
    agency_certificate_revoke,
    agency_certificates_issue_all,
    ca_crl,
    ca_ensure_root,
    ca_ensure_root_created,
    signing_keys_rewrap,
)
from .signatures import pdf_sign
from .verification import SignatureDetail, SignatureReport, pdf_verify

__all__ = [
    "SignatureDetail",
    "SignatureReport",
    "SigningError",
    "agency_certificate_issue",
    "agency_certificate_revoke",
    "agency_certificates_issue_all",
    "ca_crl",
    "ca_ensure_root",
    "ca_ensure_root_created",
    "pdf_sign",
    "pdf_verify",
    "signing_keys_rewrap",
]
