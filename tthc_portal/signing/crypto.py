"""Keys and X.509 certificates for the demo certificate authority.

Pure functions over ``cryptography`` objects: no database, no settings (the
secrets that protect private keys are passed in by the caller).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import NameOID

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
KEY_TYPES = ("ec-p256", "rsa-2048")
# Upper bound for CN and O (X.520, counted in UTF-8 bytes by ``cryptography``);
# longer agency names are cut, the full name stays in the database row.
NAME_MAX = 64
# The agency's electronic identifier (Circular 10/2016/TT-BTTTT) goes in
# organizationIdentifier (2.5.4.97), as eIDAS seals carry their registry id.
AGENCY_CODE_OID = NameOID.ORGANIZATION_IDENTIFIER
_HKDF_SALT = b"tthc-portal/signing"
_HKDF_INFO = b"private-key-encryption/v1"


def wall_clock() -> datetime:
    """The time keys, certificates and CRLs are made and checked against.

    pyHanko signs and validates with the system clock, not Django's
    ``timezone.now`` (which tests freeze to dated scenarios): certificate
    validity and CRL update times must follow the clock pyHanko reads.
    """
    return datetime.now(UTC)


class KeyDecryptionError(Exception):
    """No configured secret opens the stored private key."""


def key_generate(key_type: str) -> PrivateKey:
    if key_type == "ec-p256":
        return ec.generate_private_key(ec.SECP256R1())
    if key_type == "rsa-2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raise ValueError(f"Unknown key type {key_type!r}; use one of {', '.join(KEY_TYPES)}")


def _passphrase(secret: str) -> bytes:
    """A 256-bit passphrase per secret, so SECRET_KEY itself is never the key."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO).derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(derived)


def key_encrypt(key: PrivateKey, secret: str) -> str:
    """Encrypted PKCS#8 PEM (PBES2, PBKDF2-SHA256, AES-256-CBC)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_passphrase(secret)),
    ).decode("ascii")


def key_decrypt(pem: str, secrets: Sequence[str]) -> PrivateKey:
    """Try each secret in turn (current first, then fallbacks)."""
    data = pem.encode("ascii")
    for secret in secrets:
        try:
            key = serialization.load_pem_private_key(data, password=_passphrase(secret))
        except (ValueError, TypeError):
            continue
        if isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
            return key
        raise KeyDecryptionError("unsupported key type")
    raise KeyDecryptionError("no configured secret decrypts this key")


def _clip(text: str) -> str:
    """At most NAME_MAX bytes of UTF-8 (what ``cryptography`` enforces), cut
    between characters."""
    clipped = text.strip().encode("utf-8")[:NAME_MAX].decode("utf-8", errors="ignore")
    return clipped.strip() or "?"


def root_name(name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _clip(organisation)),
            x509.NameAttribute(NameOID.COMMON_NAME, _clip(name)),
        ]
    )


def agency_name(name: str, code: str, province: str) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if province.strip():
        attributes.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, _clip(province)))
    attributes += [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _clip(name)),
        x509.NameAttribute(AGENCY_CODE_OID, _clip(code)),
        x509.NameAttribute(NameOID.COMMON_NAME, _clip(name)),
    ]
    return x509.Name(attributes)


def person_name(name: str, title: str, agency: str, code: str, province: str) -> x509.Name:
    """An official's own certificate: CN is the person, ``title`` their post
    (X.520 title, 2.5.4.12), O and organizationIdentifier the agency they sign for."""
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if province.strip():
        attributes.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, _clip(province)))
    attributes += [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _clip(agency)),
        x509.NameAttribute(AGENCY_CODE_OID, _clip(code)),
    ]
    if title.strip():
        attributes.append(x509.NameAttribute(NameOID.TITLE, _clip(title)))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, _clip(name)))
    return x509.Name(attributes)


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


def root_build(
    key: PrivateKey, *, name: str, organisation: str, now: datetime, days: int
) -> x509.Certificate:
    subject = root_name(name, organisation)
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        # A little back-dating absorbs clock skew between hosts.
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def agency_build(
    key: PrivateKey,
    *,
    subject: x509.Name,
    issuer_cert: x509.Certificate,
    issuer_key: PrivateKey,
    now: datetime,
    days: int,
    crl_url: str = "",
) -> x509.Certificate:
    public = key.public_key()
    # A certificate never outlives its issuer.
    not_after = min(now + timedelta(days=days), issuer_cert.not_valid_after_utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_cert.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if crl_url:
        # Where PDF readers fetch the revocation list; the portal's own
        # verification gets the same list locally (and only looks for one
        # when the certificate declares it).
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(crl_url)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def crl_build(
    *,
    issuer_cert: x509.Certificate,
    issuer_key: PrivateKey,
    revoked: Sequence[tuple[int, datetime]],
    now: datetime,
) -> x509.CertificateRevocationList:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer_cert.subject)
        .last_update(now - timedelta(minutes=5))
        .next_update(now + timedelta(days=1))
    )
    for serial, revoked_at in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(revoked_at)
            .build()
        )
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass(frozen=True)
class CertificateFacts:
    serial: str
    fingerprint_sha256: str
    subject: str
    not_before: datetime
    not_after: datetime


def certificate_facts(cert: x509.Certificate) -> CertificateFacts:
    return CertificateFacts(
        serial=format(cert.serial_number, "x"),
        fingerprint_sha256=cert.fingerprint(hashes.SHA256()).hex(),
        subject=cert.subject.rfc4514_string()[:500],
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
    )


def cert_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def cert_load(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode("ascii"))


# --- pyca ↔ asn1crypto (what pyHanko works with) ---------------------------------------


def to_asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def to_asn1_key(key: PrivateKey) -> asn1_keys.PrivateKeyInfo:
    return asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def to_asn1_crl(value: x509.CertificateRevocationList) -> asn1_crl.CertificateList:
    return asn1_crl.CertificateList.load(value.public_bytes(serialization.Encoding.DER))


def certs_load_pem_bundle(text: str) -> list[x509.Certificate]:
    """Every certificate of a PEM bundle, in order."""
    return x509.load_pem_x509_certificates(text.encode("ascii"))
