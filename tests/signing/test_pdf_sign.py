"""Signing a real WeasyPrint PDF and verifying it against the demo root."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.factories import AgencyFactory
from tthc_portal.audit.models import AuditEvent
from tthc_portal.signing.errors import SigningError
from tthc_portal.signing.models import AgencyCertificate
from tthc_portal.signing.services import agency_certificate_issue, pdf_sign, pdf_verify

pytestmark = pytest.mark.django_db


def _sign(pdf: bytes, agency, **kwargs) -> bytes:
    return pdf_sign(
        pdf,
        agency=agency,
        signer_name=kwargs.pop("signer_name", "Hoàng Văn Giám Đốc"),
        reason=kwargs.pop("reason", "Phê duyệt kết quả giải quyết hồ sơ"),
        location=kwargs.pop("location", "Tỉnh Thử Nghiệm"),
        **kwargs,
    )


def test_signed_result_verifies_as_valid(agency, result_pdf):
    before = timezone.now()
    signed = _sign(result_pdf, agency)

    report = pdf_verify(signed)

    assert report.signed and report.intact and report.trusted and report.valid
    assert report.problems == []
    assert agency.name in report.signer
    assert report.agency_code == agency.code
    assert report.signer_name == "Hoàng Văn Giám Đốc"
    assert report.reason == "Phê duyệt kết quả giải quyết hồ sơ"
    assert report.location == "Tỉnh Thử Nghiệm"
    assert before - timedelta(seconds=5) <= report.signed_at <= timezone.now()
    assert report.summary.startswith(
        "Chữ ký số hợp lệ: tài liệu toàn vẹn, chứng thư do Demo Root CA"
    )
    # An incremental update: the original bytes are kept as they were.
    assert signed.startswith(result_pdf)


def test_signature_is_pades_with_the_chain_embedded(agency, result_pdf):
    signed = _sign(result_pdf, agency)
    reader = PdfFileReader(BytesIO(signed))
    [signature] = reader.embedded_signatures

    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    certificates = signature.signed_data["certificates"]
    embedded = {choice.chosen.subject.native["common_name"] for choice in certificates}
    assert embedded == {agency.name, "Demo Root CA — Cổng DVC tỉnh (chỉ dùng thử nghiệm)"}
    record = AgencyCertificate.objects.get(agency=agency, is_active=True)
    assert format(signature.signer_cert.serial_number, "x") == record.serial


def test_revocation_info_is_embedded_for_offline_readers(agency, result_pdf):
    signed = _sign(result_pdf, agency)
    reader = PdfFileReader(BytesIO(signed))

    dss = reader.root["/DSS"]
    assert len(dss["/CRLs"]) == 1 and len(dss["/Certs"]) >= 2
    assert len(reader.embedded_signatures) == 1
    # Appended after the signature, and only validation data: still intact.
    assert pdf_verify(signed).intact


def test_visible_stamp_on_the_last_page(agency, result_pdf):
    signed = _sign(result_pdf, agency)
    reader = PdfFileReader(BytesIO(signed))
    [signature] = reader.embedded_signatures
    widget = signature.sig_field

    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    page_width, page_height = 419.53, 595.28  # A5 in points
    assert 0 < x1 < x2 <= page_width and 0 < y1 < y2 < page_height / 3
    appearance = widget["/AP"]["/N"]
    stamp = next(iter(appearance["/Resources"]["/XObject"].values())).get_object()
    fonts = [font.get_object()["/BaseFont"] for font in stamp["/Resources"]["/Font"].values()]
    # The stamp text is set in an embedded font with the Vietnamese glyphs.
    assert any("DejaVu-Sans" in str(name) for name in fonts)


def test_invisible_signature_when_the_stamp_is_off(agency, result_pdf, signing_options):
    signing_options(VISIBLE_STAMP=False)
    signed = _sign(result_pdf, agency)

    [signature] = PdfFileReader(BytesIO(signed)).embedded_signatures
    x1, y1, x2, y2 = (float(v) for v in signature.sig_field["/Rect"])
    assert (x1, y1, x2, y2) == (0, 0, 0, 0)
    assert pdf_verify(signed).valid


def test_two_signatures_in_two_fields_are_both_valid(agency, result_pdf):
    other = AgencyFactory(name="Văn phòng UBND tỉnh Thử Nghiệm")
    once = _sign(result_pdf, agency)
    twice = _sign(once, other, field_name="Signature2", signer_name="Văn thư")

    report = pdf_verify(twice)

    assert report.valid, report.problems
    assert [d.field_name for d in report.signatures] == ["Signature1", "Signature2"]
    assert report.signer == other.name and report.signer_name == "Văn thư"
    assert all(detail.intact and detail.trusted for detail in report.signatures)


def test_the_same_field_cannot_be_signed_twice(agency, result_pdf):
    signed = _sign(result_pdf, agency)
    with pytest.raises(SigningError, match="Signature1"):
        _sign(signed, agency)


def test_rsa_keys_work_too(agency, result_pdf, signing_options):
    signing_options(OPTIONS={"KEY_TYPE": "rsa-2048"})
    signed = _sign(result_pdf, agency)

    report = pdf_verify(signed)

    assert report.valid
    record = AgencyCertificate.objects.get(agency=agency, is_active=True)
    assert "BEGIN CERTIFICATE" in record.certificate_pem


def test_a_certificate_is_issued_on_first_signature_and_audited(agency, result_pdf):
    assert not AgencyCertificate.objects.filter(agency=agency).exists()

    signed = _sign(result_pdf, agency)

    record = AgencyCertificate.objects.get(agency=agency, is_active=True)
    event = AuditEvent.objects.get(action="signing.pdf_sign")
    assert event.after["serial"] == record.serial
    assert event.after["signer_name"] == "Hoàng Văn Giám Đốc"
    assert event.after["sha256"] == hashlib.sha256(signed).hexdigest()


def test_without_auto_issue_an_agency_without_certificate_cannot_sign(
    agency, result_pdf, signing_options
):
    signing_options(OPTIONS={"AUTO_ISSUE": False})
    with pytest.raises(SigningError, match="signing_setup"):
        _sign(result_pdf, agency)


def test_not_a_pdf_is_refused_with_a_readable_error(agency):
    with pytest.raises(SigningError, match="PDF không hợp lệ"):
        _sign(b"%PDF-1.7 but not really", agency)


def test_sign_and_verify_use_a_fixed_number_of_queries(
    agency, result_pdf, django_assert_max_num_queries, django_assert_num_queries
):
    agency_certificate_issue(agency)
    signed = _sign(result_pdf, agency)
    # Active certificate with its root, trust roots and revoked serials for the
    # embedded revocation info, the audit event (and its content type).
    with django_assert_max_num_queries(5):
        _sign(result_pdf, agency)
    # Trust roots, revoked certificates.
    with django_assert_num_queries(2):
        pdf_verify(signed)


def test_signing_speed(agency, result_pdf):
    """Not a timed assertion: prints the figures for the report."""
    agency_certificate_issue(agency)
    rounds = 5
    started = time.perf_counter()
    for _ in range(rounds):
        signed = _sign(result_pdf, agency)
    sign_ms = (time.perf_counter() - started) / rounds * 1000
    started = time.perf_counter()
    for _ in range(rounds):
        assert pdf_verify(signed).valid
    verify_ms = (time.perf_counter() - started) / rounds * 1000
    print(f"\npdf_sign: {sign_ms:.0f} ms, pdf_verify: {verify_ms:.0f} ms (mean of {rounds})")


def test_signing_works_while_django_time_is_frozen(agency, result_pdf, monkeypatch):
    """Dossier tests freeze ``timezone.now`` to dated scenarios; pyHanko still
    reads the system clock, so certificates and CRLs must follow that clock."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2025, 3, 5, 9, 0, tzinfo=UTC))

    report = pdf_verify(_sign(result_pdf, agency))

    assert report.valid, report.problems
