"""Production backend: one PKCS#12 file per agency, issued by a real CA.

The files are made here from the demo CA, as an operator would receive them
from a provider: the agency's key and certificate, and the CA's root apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management import CommandError, call_command

from tests.factories import AgencyFactory
from tthc_portal.signing import crypto
from tthc_portal.signing.conf import key_secrets
from tthc_portal.signing.errors import SigningError
from tthc_portal.signing.services import agency_certificate_issue, pdf_sign, pdf_verify

pytestmark = pytest.mark.django_db

PASSPHRASE = "mat-khau-tep-p12"


@pytest.fixture
def pkcs12_dir(agency, tmp_path: Path, signing_options) -> Path:
    record = agency_certificate_issue(agency)
    key = crypto.key_decrypt(record.private_key_pem, key_secrets())
    cert = crypto.cert_load(record.certificate_pem)
    (tmp_path / f"{agency.code}.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            name=agency.code.encode(),
            key=key,
            cert=cert,
            cas=None,
            encryption_algorithm=serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )
    root = tmp_path / "root.pem"
    root.write_text(record.authority.certificate_pem)
    signing_options(
        BACKEND="tthc_portal.signing.backends.PKCS12Backend",
        OPTIONS={
            "PKCS12_DIR": str(tmp_path),
            "PKCS12_PASSPHRASE": PASSPHRASE,
            "TRUST_ROOTS": [str(root)],
        },
    )
    return tmp_path


def _sign(pdf, agency):
    return pdf_sign(pdf, agency=agency, signer_name="A", reason="Phê duyệt", location="Tỉnh")


def test_signs_with_the_agency_file_and_verifies_against_the_configured_roots(
    agency, result_pdf, pkcs12_dir
):
    report = pdf_verify(_sign(result_pdf, agency))

    assert report.valid, report.problems
    assert report.agency_code == agency.code


def test_missing_file_or_wrong_passphrase_is_a_signing_error(
    agency, result_pdf, pkcs12_dir, signing_options
):
    other = AgencyFactory(name="Sở Không Có Tệp")
    with pytest.raises(SigningError, match="Không đọc được tệp khóa"):
        _sign(result_pdf, other)

    signing_options(OPTIONS={"PKCS12_PASSPHRASE": "sai"})
    with pytest.raises(SigningError, match="Không đọc được tệp khóa"):
        _sign(result_pdf, agency)


def test_agency_codes_never_escape_the_directory(result_pdf, pkcs12_dir):
    sneaky = AgencyFactory(name="Sở Lạ", code="../../etc/passwd")
    with pytest.raises(SigningError, match="Chưa cấu hình"):
        _sign(result_pdf, sneaky)


def test_signing_setup_checks_each_agency(agency, pkcs12_dir, capsys):
    call_command("signing_setup", agency=[agency.code])
    assert "sẵn sàng" in capsys.readouterr().out

    AgencyFactory(name="Sở Chưa Có Khóa")
    with pytest.raises(CommandError, match="1 cơ quan chưa ký được"):
        call_command("signing_setup")
