"""A revoked agency certificate: its signatures stop being trusted, the
agency's next signature uses a new certificate."""

from __future__ import annotations

import pytest

from tthc_portal.audit.models import AuditEvent
from tthc_portal.signing.models import AgencyCertificate
from tthc_portal.signing.services import (
    agency_certificate_issue,
    agency_certificate_revoke,
    pdf_sign,
    pdf_verify,
)

pytestmark = pytest.mark.django_db


def _sign(pdf, agency):
    return pdf_sign(pdf, agency=agency, signer_name="A", reason="Phê duyệt", location="Tỉnh")


def test_revoked_certificate_signatures_are_not_trusted(agency, result_pdf):
    certificate = agency_certificate_issue(agency)
    before = _sign(result_pdf, agency)

    agency_certificate_revoke(certificate, reason="Lộ khóa")

    report = pdf_verify(before)
    assert report.intact and not report.trusted and not report.valid
    assert any("thu hồi" in problem for problem in report.problems)
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and not certificate.is_active
    event = AuditEvent.objects.get(action="signing.certificate_revoke")
    assert event.after == {"serial": certificate.serial, "reason": "Lộ khóa"}


def test_the_next_signature_gets_a_new_certificate(agency, result_pdf):
    revoked = agency_certificate_revoke(agency_certificate_issue(agency))

    after = _sign(result_pdf, agency)

    report = pdf_verify(after)
    assert report.valid, report.problems
    current = AgencyCertificate.objects.get(agency=agency, is_active=True)
    assert current.pk != revoked.pk


def test_a_superseded_certificate_still_verifies(agency, result_pdf):
    agency_certificate_issue(agency)
    before = _sign(result_pdf, agency)

    agency_certificate_issue(agency, force=True)

    assert pdf_verify(before).valid


def test_revoking_twice_changes_nothing(agency):
    certificate = agency_certificate_revoke(agency_certificate_issue(agency), reason="Một")
    again = agency_certificate_revoke(certificate, reason="Hai")

    assert again.revocation_reason == "Một"
    assert AuditEvent.objects.filter(action="signing.certificate_revoke").count() == 1
