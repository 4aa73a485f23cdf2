"""Fixtures for the signing tests: an agency, a real WeasyPrint PDF, helpers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from tests.factories import AgencyFactory
from tthc_portal.signing import crypto

RESULT_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@page { size: A5 portrait; margin: 10mm; }
html { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; }
</style></head><body>
<h1>Kết quả giải quyết thủ tục hành chính</h1>
<p>Cấp bản sao trích lục hộ tịch cho ông Nguyễn Văn An.</p>
<p>Số: 123/KQ-STP — ngày 12 tháng 5 năm 2026</p>
</body></html>"""

BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


@pytest.fixture(scope="session")
def result_pdf() -> bytes:
    """A real result paper rendered by WeasyPrint, as dossiers render theirs."""
    from weasyprint import HTML

    return HTML(string=RESULT_HTML).write_pdf()


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Sở Tư pháp tỉnh Thử Nghiệm", code="000.00.10.T01")


@pytest.fixture
def signing_options(settings):
    """Change TTHC["SIGNING"] for one test: ``signing_options(VISIBLE_STAMP=False)``
    or ``signing_options(OPTIONS={"KEY_TYPE": "rsa-2048"})``."""

    def apply(**changes):
        signing = dict(settings.TTHC["SIGNING"])
        options = {**signing.get("OPTIONS", {}), **changes.pop("OPTIONS", {})}
        settings.TTHC = {**settings.TTHC, "SIGNING": {**signing, **changes, "OPTIONS": options}}

    return apply


def byte_range(pdf: bytes) -> tuple[int, int, int, int]:
    match = BYTE_RANGE.search(pdf)
    assert match, "no /ByteRange in the PDF"
    return tuple(int(value) for value in match.groups())


def self_signed(common_name: str, organisation_id: str | None = None):
    """A key and a self-signed certificate that no demo root issued."""
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation_id:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, organisation_id))
    name = x509.Name(attributes)
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return key, cert


def sign_with(pdf: bytes, key, cert, chain=()) -> bytes:
    """Sign outside the portal's services, the way a forger with pyHanko would."""
    signer = signers.SimpleSigner(
        signing_cert=crypto.to_asn1_cert(cert),
        signing_key=crypto.to_asn1_key(key),
        cert_registry=SimpleCertificateStore.from_certs([crypto.to_asn1_cert(c) for c in chain]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    return signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), meta, signer=signer).getvalue()
