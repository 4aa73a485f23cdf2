"""What verification says about altered, foreign and unsigned documents."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from tests.signing.conftest import byte_range, self_signed, sign_with
from tthc_portal.signing import crypto
from tthc_portal.signing.conf import key_secrets
from tthc_portal.signing.services import ca_ensure_root, pdf_sign, pdf_verify
from tthc_portal.signing.services.certificates import ca_private_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(agency, result_pdf) -> bytes:
    return pdf_sign(
        result_pdf,
        agency=agency,
        signer_name="Hoàng Văn Giám Đốc",
        reason="Phê duyệt kết quả",
        location="Tỉnh Thử Nghiệm",
    )


def test_one_changed_byte_in_the_signed_content_breaks_integrity(signed):
    start, first_length, _second_start, _second_length = byte_range(signed)
    # A byte inside the first content stream, well within the signed range.
    position = signed.index(b"stream\n") + len(b"stream\n") + 10
    assert start <= position < start + first_length
    tampered = bytearray(signed)
    tampered[position] ^= 0x01

    report = pdf_verify(bytes(tampered))

    assert report.signed and not report.intact and not report.valid
    assert report.summary == "Chữ ký số không hợp lệ: tài liệu đã bị thay đổi sau khi ký."
    assert any("không khớp" in problem for problem in report.problems)


def test_content_added_in_an_incremental_update_after_signing_breaks_integrity(signed):
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    overlay = generic.StreamObject(stream_data=b"0 0 1 rg 40 300 200 40 re f")
    writer.add_stream_to_page(0, writer.add_object(overlay))
    output = BytesIO()
    writer.write(output)
    tampered = output.getvalue()
    # The signed bytes are untouched: only the appended revision changes the page.
    assert tampered.startswith(signed)

    report = pdf_verify(tampered)

    assert report.signed and not report.intact and not report.valid
    assert report.trusted  # the certificate itself is still the agency's
    assert any("sửa đổi sau khi ký" in problem for problem in report.problems)


def test_a_self_signed_certificate_is_not_trusted(agency, result_pdf):
    key, cert = self_signed(agency.name, agency.code)  # same name, foreign key
    ca_ensure_root()

    report = pdf_verify(sign_with(result_pdf, key, cert))

    assert report.signed and report.intact
    assert not report.trusted and not report.valid
    assert report.signer == agency.name and report.agency_code == agency.code
    assert report.summary.startswith("Chữ ký số không được tin cậy")
    assert any("không do tổ chức cấp chứng thư" in problem for problem in report.problems)


def test_a_look_alike_root_with_the_same_name_is_not_trusted(agency, result_pdf):
    """A forger's CA copying the demo root's name and the agency's subject."""
    real_root = ca_ensure_root()
    now = timezone.now()
    fake_root_key = crypto.key_generate("ec-p256")
    fake_root = crypto.root_build(
        fake_root_key, name=real_root.name, organisation="Cổng dịch vụ công", now=now, days=365
    )
    key = crypto.key_generate("ec-p256")
    cert = crypto.agency_build(
        key,
        subject=crypto.agency_name(agency.name, agency.code, "Tỉnh Demo"),
        issuer_cert=fake_root,
        issuer_key=fake_root_key,
        now=now,
        days=365,
    )

    report = pdf_verify(sign_with(result_pdf, key, cert, chain=[fake_root]))

    assert report.intact and not report.trusted and not report.valid


def test_an_expired_agency_certificate_is_not_trusted(agency, result_pdf):
    root = ca_ensure_root()
    key = crypto.key_generate("ec-p256")
    cert = crypto.agency_build(
        key,
        subject=crypto.agency_name(agency.name, agency.code, ""),
        issuer_cert=crypto.cert_load(root.certificate_pem),
        issuer_key=ca_private_key(root),
        now=timezone.now() - timedelta(days=30),
        days=10,
    )
    assert key_secrets()  # the root key above was opened with the configured secret

    report = pdf_verify(sign_with(result_pdf, key, cert))

    assert report.intact and not report.trusted
    assert any("hết hạn" in problem for problem in report.problems)


def test_an_unsigned_pdf_is_reported_as_unsigned(result_pdf):
    report = pdf_verify(result_pdf)

    assert not report.signed and not report.valid
    assert report.summary == "Tài liệu không có chữ ký số."
    assert report.signer == "" and report.agency_code is None and report.signed_at is None


@pytest.mark.parametrize("data", [b"", b"not a pdf at all", b"%PDF-1.7\n1 0 obj\n<<"])
def test_garbage_is_reported_not_raised(data):
    report = pdf_verify(data)

    assert not report.signed and not report.valid
    assert report.summary == "Không đọc được tệp PDF."


def test_truncated_signed_pdf_is_not_valid(signed):
    report = pdf_verify(signed[: len(signed) // 2])
    assert not report.valid
