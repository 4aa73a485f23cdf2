"""Citizens download the trust anchor to verify results in their PDF reader."""

from __future__ import annotations

import pytest
from cryptography import x509
from django.urls import reverse

from tthc_portal.signing.services import (
    agency_certificate_issue,
    agency_certificate_revoke,
    ca_ensure_root,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.signing.urls")]


def test_root_certificate_as_pem_and_der(client):
    root = ca_ensure_root()

    pem = client.get(reverse("signing:root_pem"))
    der = client.get(reverse("signing:root_der"))

    assert pem.status_code == der.status_code == 200
    assert pem["Content-Type"] == "application/x-pem-file"
    assert "chung-thu-goc.pem" in pem["Content-Disposition"]
    assert pem.content.decode() == root.certificate_pem
    assert x509.load_der_x509_certificate(der.content) == x509.load_pem_x509_certificate(
        root.certificate_pem.encode()
    )
    assert b"PRIVATE" not in pem.content


def test_not_found_before_setup(client):
    assert client.get(reverse("signing:root_pem")).status_code == 404
    assert client.get(reverse("signing:root_der")).status_code == 404


def test_post_is_refused(client):
    ca_ensure_root()
    assert client.post(reverse("signing:root_pem")).status_code == 405


def test_revocation_list_lists_revoked_certificates(agency, client):
    record = agency_certificate_issue(agency)
    agency_certificate_revoke(record, reason="Lộ khóa")
    root = record.authority

    response = client.get(reverse("signing:crl", args=[root.serial]))

    assert response.status_code == 200
    crl = x509.load_der_x509_crl(response.content)
    assert crl.is_signature_valid(
        x509.load_pem_x509_certificate(root.certificate_pem.encode()).public_key()
    )
    assert crl.get_revoked_certificate_by_serial_number(int(record.serial, 16)) is not None
    assert client.get(reverse("signing:crl", args=["00"])).status_code == 404


def test_agency_certificates_point_to_the_revocation_list(agency):
    record = agency_certificate_issue(agency)
    cert = x509.load_pem_x509_certificate(record.certificate_pem.encode())

    points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    url = points[0].full_name[0].value
    assert url.endswith(reverse("signing:crl", args=[record.authority.serial]))
    assert url.startswith("http")
