"""Each agency gets a signing certificate chained to the demo root."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import AgencyFactory
from tthc_portal.audit.models import AuditEvent
from tthc_portal.signing.errors import SigningError
from tthc_portal.signing.models import AgencyCertificate
from tthc_portal.signing.services import (
    agency_certificate_issue,
    agency_certificates_issue_all,
    ca_ensure_root,
)

pytestmark = pytest.mark.django_db


def _load(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def test_every_active_agency_gets_a_certificate_chained_to_the_root():
    agencies = [AgencyFactory(name=f"Sở Thử Nghiệm Số {n}") for n in range(4)]
    merged = AgencyFactory(name="UBND xã cũ", is_active=False)

    issued = agency_certificates_issue_all()

    assert issued == 4
    root = _load(ca_ensure_root().certificate_pem)
    for agency in agencies:
        record = AgencyCertificate.objects.get(agency=agency, is_active=True)
        cert = _load(record.certificate_pem)
        cert.verify_directly_issued_by(root)
        subject = cert.subject
        assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == agency.name
        assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == agency.name
        code = subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)[0].value
        assert code == agency.code
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
        assert usage.critical
        assert usage.value.digital_signature and usage.value.content_commitment
        assert not usage.value.key_cert_sign
        assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
        assert timedelta(days=3 * 365) <= lifetime <= timedelta(days=3 * 365, hours=1)
        assert record.serial == format(cert.serial_number, "x")
        assert record.not_after == cert.not_valid_after_utc
    assert not AgencyCertificate.objects.filter(agency=merged).exists()
    assert AuditEvent.objects.filter(action="signing.certificate_issue").count() == 4


def test_issuing_again_is_idempotent_and_set_based(django_assert_num_queries):
    for n in range(5):
        AgencyFactory(name=f"Phòng Thử Nghiệm {n}")
    assert agency_certificates_issue_all() == 5

    # Root, the active certificates, the agencies: however many agencies there are.
    with django_assert_num_queries(3):
        assert agency_certificates_issue_all() == 0
    assert AgencyCertificate.objects.count() == 5


def test_issue_returns_the_active_certificate_unless_forced(agency):
    first = agency_certificate_issue(agency)
    assert agency_certificate_issue(agency).pk == first.pk

    forced = agency_certificate_issue(agency, force=True)

    first.refresh_from_db()
    assert forced.pk != first.pk and forced.serial != first.serial
    assert forced.is_active and not first.is_active
    # Superseded, not revoked: what it signed stays valid.
    assert first.revoked_at is None
    event = AuditEvent.objects.filter(action="signing.certificate_issue").first()
    assert event.before == {"serial": first.serial}
    assert event.after["serial"] == forced.serial


def test_a_certificate_about_to_expire_is_renewed(agency):
    first = agency_certificate_issue(agency)
    AgencyCertificate.objects.filter(pk=first.pk).update(
        not_after=timezone.now() + timedelta(days=2)
    )

    renewed = agency_certificate_issue(agency)

    assert renewed.pk != first.pk


def test_inactive_agency_gets_no_certificate():
    agency = AgencyFactory(is_active=False)
    with pytest.raises(SigningError, match="ngừng hoạt động"):
        agency_certificate_issue(agency)


def test_database_allows_one_active_certificate_per_agency(agency):
    current = agency_certificate_issue(agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyCertificate.objects.create(
            authority=current.authority,
            agency=agency,
            subject=current.subject,
            certificate_pem=current.certificate_pem,
            private_key_pem=current.private_key_pem,
            serial="ff" + current.serial,
            fingerprint_sha256="0" * 64,
            not_before=current.not_before,
            not_after=current.not_after,
        )


def test_long_agency_names_fit_the_certificate():
    agency = AgencyFactory(
        name="Ban Quản lý các Khu công nghiệp, Khu kinh tế và Khu chế xuất tỉnh Thử Nghiệm Dài"
    )
    record = agency_certificate_issue(agency)
    cert = _load(record.certificate_pem)
    common_name = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert agency.name.startswith(common_name)
    assert 60 <= len(common_name.encode()) <= 64
