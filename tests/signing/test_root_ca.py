"""The demo root certificate authority: created once, a real CA certificate."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from tthc_portal.audit.models import AuditEvent
from tthc_portal.signing.models import CertificateAuthority
from tthc_portal.signing.services import ca_ensure_root, ca_ensure_root_created

pytestmark = pytest.mark.django_db


def test_root_is_created_once_and_reused():
    first, created = ca_ensure_root_created()
    again, created_again = ca_ensure_root_created()

    assert created and not created_again
    assert again.pk == first.pk == ca_ensure_root().pk
    assert CertificateAuthority.objects.count() == 1
    assert AuditEvent.objects.filter(action="signing.root_create").count() == 1


def test_root_is_a_self_signed_ca_named_for_the_demo():
    root = ca_ensure_root()
    cert = x509.load_pem_x509_certificate(root.certificate_pem.encode())

    common_name = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert common_name == "Demo Root CA — Cổng DVC tỉnh (chỉ dùng thử nghiệm)"
    assert cert.issuer == cert.subject
    cert.verify_directly_issued_by(cert)
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign and not usage.digital_signature
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days >= 3649
    assert root.serial == format(cert.serial_number, "x")
    assert root.is_active


def test_a_root_close_to_expiry_is_replaced_but_stays_trusted():
    old = ca_ensure_root()
    CertificateAuthority.objects.filter(pk=old.pk).update(not_after=old.created_at)

    new, created = ca_ensure_root_created()

    assert created and new.pk != old.pk
    old.refresh_from_db()
    assert not old.is_active and new.is_active
    from tthc_portal.signing.backends import get_backend

    serials = {root.serial_number for root in get_backend().trust_roots()}
    assert {int(old.serial, 16), int(new.serial, 16)} == serials
