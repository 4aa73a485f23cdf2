"""Private keys: encrypted at rest, never in audit events, reprs or the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import StaffFactory
from tthc_portal.audit.models import AuditEvent
from tthc_portal.signing import crypto
from tthc_portal.signing.backends import get_backend
from tthc_portal.signing.errors import SigningError
from tthc_portal.signing.models import AgencyCertificate, CertificateAuthority
from tthc_portal.signing.services import (
    agency_certificate_issue,
    pdf_sign,
    pdf_verify,
    signing_keys_rewrap,
)

pytestmark = pytest.mark.django_db

OLD_SECRET = "old-secret-key-" + "x" * 40
NEW_SECRET = "new-secret-key-" + "y" * 40


def _sign(pdf, agency):
    return pdf_sign(pdf, agency=agency, signer_name="A", reason="Phê duyệt", location="Tỉnh")


def test_keys_are_stored_encrypted(agency, settings):
    record = agency_certificate_issue(agency)

    for pem in (record.private_key_pem, record.authority.private_key_pem):
        assert pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        with pytest.raises(crypto.KeyDecryptionError):
            crypto.key_decrypt(pem, ["not the secret"])
        # Nor with the raw SECRET_KEY as a passphrase: a derived key protects it.
        with pytest.raises(ValueError):
            from cryptography.hazmat.primitives import serialization

            serialization.load_pem_private_key(pem.encode(), settings.SECRET_KEY.encode())


def test_no_key_material_in_audit_events_or_reprs(agency, result_pdf):
    _sign(result_pdf, agency)
    credentials = get_backend().credentials_for(agency)

    for event in AuditEvent.objects.filter(action__startswith="signing."):
        dumped = f"{event.before} {event.after}"
        assert "PRIVATE KEY" not in dumped
    assert "private_key" not in repr(credentials)
    record = AgencyCertificate.objects.get(agency=agency)
    assert "PRIVATE" not in str(record) and "PRIVATE" not in str(record.authority)


@pytest.mark.urls("tests.signing.urls")
def test_admin_never_shows_private_keys(agency, client):
    record = agency_certificate_issue(agency)
    admin = StaffFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    for url in (
        reverse("admin:signing_agencycertificate_change", args=[record.pk]),
        reverse("admin:signing_certificateauthority_change", args=[record.authority_id]),
        reverse("admin:signing_agencycertificate_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert b"PRIVATE KEY" not in response.content
        assert record.private_key_pem.splitlines()[1].encode() not in response.content


def test_secret_key_rotation_with_fallback_then_rewrap(agency, result_pdf, settings):
    settings.SECRET_KEY = OLD_SECRET
    agency_certificate_issue(agency)

    settings.SECRET_KEY = NEW_SECRET
    settings.SECRET_KEY_FALLBACKS = [OLD_SECRET]
    assert pdf_verify(_sign(result_pdf, agency)).valid  # old key still opens

    assert signing_keys_rewrap() == 2  # the root and the agency key
    assert signing_keys_rewrap() == 0
    settings.SECRET_KEY_FALLBACKS = []
    assert pdf_verify(_sign(result_pdf, agency)).valid
    assert AuditEvent.objects.filter(action="signing.keys_rewrap").count() == 1


def test_a_lost_secret_gives_a_readable_error(agency, result_pdf, settings):
    settings.SECRET_KEY = OLD_SECRET
    agency_certificate_issue(agency)
    settings.SECRET_KEY = NEW_SECRET

    with pytest.raises(SigningError, match="SECRET_KEY_FALLBACKS"):
        _sign(result_pdf, agency)


def test_a_dedicated_key_secret_is_independent_of_secret_key(
    agency, result_pdf, settings, signing_options
):
    signing_options(OPTIONS={"KEY_SECRET": "dedicated-signing-secret"})
    agency_certificate_issue(agency)

    settings.SECRET_KEY = NEW_SECRET
    assert pdf_verify(_sign(result_pdf, agency)).valid
    key_pem = CertificateAuthority.objects.get().private_key_pem
    assert crypto.key_decrypt(key_pem, ["dedicated-signing-secret"])
