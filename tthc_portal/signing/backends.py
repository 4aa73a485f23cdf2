"""Where signing keys and trust anchors come from.

``settings.TTHC["SIGNING"]["BACKEND"]`` names the class, ``["OPTIONS"]`` are
passed to it:

- ``DemoCABackend`` (default): the demo root CA in the database issues a
  certificate to each agency on demand. For demonstrations and tests only.
- ``PKCS12Backend``: one ``<agency code>.p12`` file per agency, issued by a real
  CA (for example the government CA of Ban Cơ yếu Chính phủ), plus the CA's
  root certificates as trust anchors. An HSM would be another subclass whose
  ``credentials_for`` returns a pyHanko signer bound to the device.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from tthc_portal.agencies.models import Agency

from . import crypto
from .conf import demo_options, key_secrets, signing_settings
from .errors import SigningError
from .models import AgencyCertificate, CertificateAuthority, PersonCertificate


@dataclass(frozen=True)
class SigningCredentials:
    """What one signature needs. ``private_key`` is kept out of ``repr`` so it
    never ends up in a log line or an error report."""

    certificate: asn1_x509.Certificate
    private_key: asn1_keys.PrivateKeyInfo = field(repr=False)
    # Issuers up to and including the root, embedded in the signature so a PDF
    # reader can build the path without fetching anything.
    chain: tuple[asn1_x509.Certificate, ...]
    record: AgencyCertificate | PersonCertificate | None = None

    @property
    def serial(self) -> str:
        return format(self.certificate.serial_number, "x")


class SigningBackend(ABC):
    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = dict(options or {})

    @abstractmethod
    def credentials_for(self, agency: Agency) -> SigningCredentials:
        """Key and certificate the agency signs with; SigningError if none."""

    @abstractmethod
    def trust_roots(self) -> list[asn1_x509.Certificate]:
        """Trust anchors that verification accepts."""

    def credentials_for_person(
        self, user: Any, *, agency: Agency, title: str
    ) -> SigningCredentials:
        """The personal key and certificate of an official signing for
        ``agency`` as ``title``; SigningError when the backend holds none."""
        raise SigningError(
            _("Chưa cấu hình chứng thư ký số cá nhân cho %(name)s.") % {"name": user.display_name}
        )

    def crls(self) -> list[asn1_crl.CertificateList]:
        """Revocation lists known locally (none by default)."""
        return []

    def revocation_info_for(
        self, credentials: SigningCredentials
    ) -> list[asn1_crl.CertificateList] | None:
        """Revocation lists to embed in a signature made with ``credentials``
        (LTV), or None when the backend has none locally."""
        return None


class DemoCABackend(SigningBackend):
    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__({**demo_options(), **(options or {})})

    @sensitive_variables("key")
    def credentials_for(self, agency: Agency) -> SigningCredentials:
        from .services.certificates import agency_certificate_issue

        record = (
            AgencyCertificate.objects.active()
            .filter(agency_id=agency.pk)
            .select_related("authority")
            .first()
        )
        usable = record is not None and record.usable_at(crypto.wall_clock())
        if not usable or (record is not None and not record.authority.is_active):
            if not self.options.get("AUTO_ISSUE", True):
                raise SigningError(
                    _(
                        "Cơ quan %(agency)s chưa có chứng thư ký số còn hiệu lực: "
                        "chạy manage.py signing_setup."
                    )
                    % {"agency": agency.name}
                )
            record = agency_certificate_issue(agency)
        try:
            key = crypto.key_decrypt(record.private_key_pem, key_secrets())
        except crypto.KeyDecryptionError as exc:
            raise SigningError(
                _(
                    "Không mở được khóa ký của %(agency)s: khóa bí mật của máy chủ đã đổi. "
                    "Khôi phục khóa cũ vào SECRET_KEY_FALLBACKS rồi chạy "
                    "signing_setup --rewrap-keys."
                )
                % {"agency": agency.name}
            ) from exc
        return SigningCredentials(
            certificate=crypto.to_asn1_cert(crypto.cert_load(record.certificate_pem)),
            private_key=crypto.to_asn1_key(key),
            chain=(crypto.to_asn1_cert(crypto.cert_load(record.authority.certificate_pem)),),
            record=record,
        )

    @sensitive_variables("key")
    def credentials_for_person(
        self, user: Any, *, agency: Agency, title: str
    ) -> SigningCredentials:
        from .services.persons import person_certificate_issue

        if not self.options.get("AUTO_ISSUE", True):
            raise SigningError(
                _("Chưa cấu hình chứng thư ký số cá nhân cho %(name)s.")
                % {"name": user.display_name}
            )
        record = person_certificate_issue(user, agency=agency, title=title)
        try:
            key = crypto.key_decrypt(record.private_key_pem, key_secrets())
        except crypto.KeyDecryptionError as exc:
            raise SigningError(
                _("Không mở được khóa ký của %(name)s: khóa bí mật của máy chủ đã đổi.")
                % {"name": user.display_name}
            ) from exc
        return SigningCredentials(
            certificate=crypto.to_asn1_cert(crypto.cert_load(record.certificate_pem)),
            private_key=crypto.to_asn1_key(key),
            chain=(crypto.to_asn1_cert(crypto.cert_load(record.authority.certificate_pem)),),
            record=record,
        )

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        pems = CertificateAuthority.objects.order_by("-is_active", "-created_at", "-pk")
        return [
            crypto.to_asn1_cert(crypto.cert_load(pem))
            for pem in pems.values_list("certificate_pem", flat=True)
        ]

    def crls(self) -> list[asn1_crl.CertificateList]:
        """A fresh CRL of each root that revoked something, so that pyHanko
        reports a revoked agency certificate without fetching anything."""
        from .services.certificates import ca_crl

        authority_ids = set(
            AgencyCertificate.objects.revoked().values_list("authority_id", flat=True)
        )
        if not authority_ids:
            return []
        return [
            crypto.to_asn1_crl(ca_crl(authority))
            for authority in CertificateAuthority.objects.filter(pk__in=authority_ids)
        ]

    def revocation_info_for(
        self, credentials: SigningCredentials
    ) -> list[asn1_crl.CertificateList] | None:
        """The issuing root's current CRL: embedded in the PDF, it lets a reader
        check revocation offline (the portal need not be reachable)."""
        from .services.certificates import ca_crl

        if credentials.record is None:
            return None
        return [crypto.to_asn1_crl(ca_crl(credentials.record.authority))]


# Agency codes look like 000.00.10.H99; anything else never reaches the file system.
_SAFE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class PKCS12Backend(SigningBackend):
    """Options: ``PKCS12_DIR`` (holds ``<agency code>.p12``),
    ``PKCS12_PASSPHRASE`` (shared passphrase, empty for none) and
    ``TRUST_ROOTS`` (PEM or DER files of the issuing CA's roots)."""

    def _path_for(self, agency: Agency) -> Path:
        directory = self.options.get("PKCS12_DIR") or ""
        if not directory or not _SAFE_CODE.match(agency.code):
            raise SigningError(
                _("Chưa cấu hình tệp khóa ký số (PKCS#12) cho cơ quan %(agency)s.")
                % {"agency": agency.name}
            )
        return Path(directory) / f"{agency.code}.p12"

    @sensitive_variables("key", "passphrase", "data")
    def credentials_for(self, agency: Agency) -> SigningCredentials:
        return self._load(self._path_for(agency), agency.name)

    def credentials_for_person(
        self, user: Any, *, agency: Agency, title: str
    ) -> SigningCredentials:
        """``<PKCS12_DIR>/persons/<username>.p12``: the official's token exported
        by the CA (a real deployment would sign on the person's USB token or a
        remote-signing service instead; that is another subclass)."""
        directory = self.options.get("PKCS12_DIR") or ""
        if not directory or not _SAFE_CODE.match(user.username or ""):
            return super().credentials_for_person(user, agency=agency, title=title)
        return self._load(Path(directory) / "persons" / f"{user.username}.p12", user.display_name)

    @sensitive_variables("key", "passphrase", "data")
    def _load(self, path: Path, owner: str) -> SigningCredentials:
        passphrase = (self.options.get("PKCS12_PASSPHRASE") or "").encode() or None
        try:
            data = path.read_bytes()
            key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase)
        except (OSError, ValueError) as exc:
            raise SigningError(
                _("Không đọc được tệp khóa ký số %(file)s của cơ quan %(agency)s.")
                % {"file": path.name, "agency": owner}
            ) from exc
        if key is None or cert is None:
            raise SigningError(
                _("Tệp %(file)s không chứa khóa và chứng thư ký số.") % {"file": path.name}
            )
        if not isinstance(key, crypto.PrivateKey):
            raise SigningError(
                _("Loại khóa trong tệp %(file)s không được hỗ trợ.") % {"file": path.name}
            )
        chain = [*extra, *self._root_certs()]
        return SigningCredentials(
            certificate=crypto.to_asn1_cert(cert),
            private_key=crypto.to_asn1_key(key),
            chain=tuple(crypto.to_asn1_cert(item) for item in chain),
        )

    def _root_certs(self) -> list[x509.Certificate]:
        roots: list[x509.Certificate] = []
        for name in self.options.get("TRUST_ROOTS") or []:
            data = Path(name).read_bytes()
            if b"-----BEGIN" in data:
                roots += x509.load_pem_x509_certificates(data)
            else:
                roots.append(x509.load_der_x509_certificate(data))
        return roots

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        return [crypto.to_asn1_cert(cert) for cert in self._root_certs()]


def get_backend() -> SigningBackend:
    """A fresh backend from the current settings (cheap; follows overrides)."""
    config = signing_settings()
    backend_class = import_string(config["BACKEND"])
    return backend_class(config["OPTIONS"])
