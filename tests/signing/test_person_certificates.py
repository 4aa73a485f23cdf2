"""An official's own signing certificate (the head's personal signature on a
paper, before the agency's): issued by the demo root on first use, naming the
person, their title and the agency; re-issued when the title changes, while
what the old one signed stays valid; a PKCS#12 deployment reads the person's
file. Two signatures on one PDF, each its own revision, both verify."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from tests.factories import UserFactory
from tthc_portal.signing import crypto
from tthc_portal.signing.conf import key_secrets
from tthc_portal.signing.errors import SigningError
from tthc_portal.signing.models import PersonCertificate
from tthc_portal.signing.services import pdf_sign, pdf_verify
from tthc_portal.signing.services.persons import person_certificate_issue

pytestmark = pytest.mark.django_db


def _head():
    return UserFactory(username="lanhdao.thu", full_name="Trần Thị Thủ Trưởng", kind="staff")


def _sign_twice(pdf: bytes, agency, head, title: str) -> bytes:
    common = {"agency": agency, "signer_name": head.display_name, "location": "Tỉnh"}
    signed = pdf_sign(
        pdf, **common, reason="Phê duyệt", field_name="ChuKyNguoiKy", person=head, title=title
    )
    return pdf_sign(signed, **common, reason="Ban hành", field_name="ChuKyCoQuan")


def test_head_and_agency_sign_one_pdf(result_pdf, agency):
    head = _head()
    signed = _sign_twice(result_pdf, agency, head, "Giám đốc Sở")
    report = pdf_verify(signed)
    assert report.valid and len(report.signatures) == 2
    person, seal = report.signatures
    assert person.signer == "Trần Thị Thủ Trưởng" and person.agency_code == agency.code
    assert seal.signer == agency.name[:64]
    record = PersonCertificate.objects.get(user=head, is_active=True)
    assert "2.5.4.12=Giám đốc Sở" in record.subject and "CN=Trần Thị Thủ Trưởng" in record.subject


def test_a_new_title_gets_a_new_certificate_and_old_signatures_stay_valid(result_pdf, agency):
    head = _head()
    first = person_certificate_issue(head, agency=agency, title="Phó Giám đốc Sở")
    assert person_certificate_issue(head, agency=agency, title="Phó Giám đốc Sở") == first
    before = _sign_twice(result_pdf, agency, head, "Phó Giám đốc Sở")
    second = person_certificate_issue(head, agency=agency, title="Giám đốc Sở")
    assert second.pk != first.pk and "2.5.4.12=Giám đốc Sở" in second.subject
    first.refresh_from_db()
    assert not first.is_active and second.is_active
    assert pdf_verify(before).valid  # superseded, not revoked


def test_pkcs12_backend_reads_the_persons_file(result_pdf, agency, tmp_path: Path, signing_options):
    from tthc_portal.signing.services import agency_certificate_issue

    head = _head()
    for name, record in (
        (f"{agency.code}.p12", agency_certificate_issue(agency)),
        (f"persons/{head.username}.p12",
         person_certificate_issue(head, agency=agency, title="Giám đốc Sở")),
    ):  # fmt: skip
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                name=b"k",
                key=crypto.key_decrypt(record.private_key_pem, key_secrets()),
                cert=crypto.cert_load(record.certificate_pem),
                cas=None,
                encryption_algorithm=serialization.NoEncryption(),
            )
        )
        root = record.authority.certificate_pem
    (tmp_path / "root.pem").write_text(root)
    signing_options(
        BACKEND="tthc_portal.signing.backends.PKCS12Backend",
        OPTIONS={"PKCS12_DIR": str(tmp_path), "TRUST_ROOTS": [str(tmp_path / "root.pem")]},
    )
    assert pdf_verify(_sign_twice(result_pdf, agency, head, "Giám đốc Sở")).valid
    stranger = UserFactory(username="nguoi.la", kind="staff")
    with pytest.raises(SigningError):
        pdf_sign(result_pdf, agency=agency, signer_name="X", reason="r", location="l",
                 person=stranger, title="")  # fmt: skip
