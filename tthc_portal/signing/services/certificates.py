"""The demo certificate authority: root, agency certificates, revocation.

Every issuance and revocation is audited; the audit events carry serials and
fingerprints, never key material.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cryptography import x509
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from tthc_portal.agencies.models import Agency
from tthc_portal.audit.services import audit_record

from .. import crypto
from ..conf import demo_options, key_secrets
from ..errors import SigningError
from ..models import AgencyCertificate, CertificateAuthority


def _days(name: str) -> int:
    return int(demo_options()[name])


def _renew_margin() -> timedelta:
    return timedelta(days=_days("RENEW_BEFORE_DAYS"))


@sensitive_variables("key")
def _ca_create(actor: Any, replacing: CertificateAuthority | None) -> CertificateAuthority:
    options = demo_options()
    now = crypto.wall_clock()
    key = crypto.key_generate(options["KEY_TYPE"])
    cert = crypto.root_build(
        key,
        name=options["ROOT_NAME"],
        organisation=f"Cổng dịch vụ công {settings.TTHC.get('PROVINCE_NAME', '')}".strip(),
        now=now,
        days=_days("ROOT_VALID_DAYS"),
    )
    facts = crypto.certificate_facts(cert)
    if replacing is not None:
        # The expiring root stops issuing but stays a trust anchor. Only that
        # row: a root another process has just created must not be retired,
        # the "one active root" constraint settles that race instead.
        CertificateAuthority.objects.filter(pk=replacing.pk, is_active=True).update(is_active=False)
    authority = CertificateAuthority.objects.create(
        name=options["ROOT_NAME"],
        certificate_pem=crypto.cert_pem(cert),
        private_key_pem=crypto.key_encrypt(key, key_secrets()[0]),
        serial=facts.serial,
        fingerprint_sha256=facts.fingerprint_sha256,
        not_before=facts.not_before,
        not_after=facts.not_after,
    )
    audit_record(
        actor=actor,
        action="signing.root_create",
        target=authority,
        after={
            "serial": facts.serial,
            "fingerprint_sha256": facts.fingerprint_sha256,
            "not_after": facts.not_after,
            "key_type": options["KEY_TYPE"],
        },
    )
    return authority


def ca_ensure_root_created(*, actor: Any = None) -> tuple[CertificateAuthority, bool]:
    """The issuing root and whether this call created it.

    A new root is made when there is none or the current one is about to
    expire. Concurrent callers race on the "one active root" constraint: the
    loser reads the winner's row.
    """
    root = CertificateAuthority.objects.filter(is_active=True).first()
    if root is not None and crypto.wall_clock() + _renew_margin() < root.not_after:
        return root, False
    try:
        with transaction.atomic():
            return _ca_create(actor, root), True
    except IntegrityError:
        return CertificateAuthority.objects.get(is_active=True), False


def ca_ensure_root(*, actor: Any = None) -> CertificateAuthority:
    """The demo root certificate authority, created on first use (idempotent)."""
    return ca_ensure_root_created(actor=actor)[0]


@sensitive_variables()
def ca_private_key(authority: CertificateAuthority) -> crypto.PrivateKey:
    try:
        return crypto.key_decrypt(authority.private_key_pem, key_secrets())
    except crypto.KeyDecryptionError as exc:
        raise SigningError(
            _(
                "Không mở được khóa của chứng thư gốc: khóa bí mật của máy chủ đã đổi. "
                "Khôi phục khóa cũ vào SECRET_KEY_FALLBACKS rồi chạy signing_setup --rewrap-keys."
            )
        ) from exc


def crl_url(authority: CertificateAuthority) -> str:
    """Public address of the authority's revocation list (``signing:crl``)."""
    try:
        path = reverse("signing:crl", args=[authority.serial])
    except NoReverseMatch:  # URLs not included yet: the documented mount point
        path = f"/chung-thu/thu-hoi/{authority.serial}.crl"
    return settings.TTHC["SITE_URL"].rstrip("/") + path


def ca_crl(authority: CertificateAuthority) -> x509.CertificateRevocationList:
    """A fresh revocation list of the authority, valid for a day."""
    revoked = AgencyCertificate.objects.revoked().filter(authority=authority)
    return crypto.crl_build(
        issuer_cert=crypto.cert_load(authority.certificate_pem),
        issuer_key=ca_private_key(authority),
        revoked=[
            (int(serial, 16), at) for serial, at in revoked.values_list("serial", "revoked_at")
        ],
        now=crypto.wall_clock(),
    )


def _needs_new(current: AgencyCertificate | None, root: CertificateAuthority) -> bool:
    if current is None or current.authority_id != root.pk:
        return True
    return not current.usable_at(crypto.wall_clock(), margin=_renew_margin())


@sensitive_variables("key", "issuer_key")
def agency_certificate_issue(
    agency: Agency, *, force: bool = False, actor: Any = None
) -> AgencyCertificate:
    """The agency's active signing certificate, issued by the demo root if it
    has none, if the current one expires within RENEW_BEFORE_DAYS, was revoked
    or comes from an older root — or always with ``force``.

    The previous certificate is superseded, not revoked: results it signed
    stay valid.
    """
    if not agency.is_active:
        raise SigningError(
            _("Cơ quan %(agency)s đã ngừng hoạt động, không cấp chứng thư ký số.")
            % {"agency": agency.name}
        )
    root = ca_ensure_root(actor=actor)
    with transaction.atomic():
        # Serialises two issuers of the same agency (PostgreSQL row lock; SQLite
        # serialises writers already).
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        current = (
            AgencyCertificate.objects.active().filter(agency=locked).select_related("authority")
        ).first()
        if not force and not _needs_new(current, root):
            return current
        options = demo_options()
        issuer_key = ca_private_key(root)
        key = crypto.key_generate(options["KEY_TYPE"])
        cert = crypto.agency_build(
            key,
            subject=crypto.agency_name(
                locked.name, locked.code, settings.TTHC.get("PROVINCE_NAME", "")
            ),
            issuer_cert=crypto.cert_load(root.certificate_pem),
            issuer_key=issuer_key,
            now=crypto.wall_clock(),
            days=_days("AGENCY_VALID_DAYS"),
            crl_url=crl_url(root),
        )
        facts = crypto.certificate_facts(cert)
        if current is not None:
            current.is_active = False
            current.save(update_fields=["is_active"])
        issued = AgencyCertificate.objects.create(
            authority=root,
            agency=locked,
            subject=facts.subject,
            certificate_pem=crypto.cert_pem(cert),
            private_key_pem=crypto.key_encrypt(key, key_secrets()[0]),
            serial=facts.serial,
            fingerprint_sha256=facts.fingerprint_sha256,
            not_before=facts.not_before,
            not_after=facts.not_after,
        )
        audit_record(
            actor=actor,
            action="signing.certificate_issue",
            target=issued,
            before={"serial": current.serial} if current is not None else None,
            after={
                "agency": locked.code,
                "serial": facts.serial,
                "fingerprint_sha256": facts.fingerprint_sha256,
                "not_after": facts.not_after,
                "authority": root.serial,
                "key_type": options["KEY_TYPE"],
            },
        )
        return issued


def agency_certificates_issue_all(*, actor: Any = None) -> int:
    """Issue a certificate to every active agency that needs one; returns how
    many were issued (0 when run again)."""
    root = ca_ensure_root(actor=actor)
    current = {
        cert.agency_id: cert
        for cert in AgencyCertificate.objects.active().filter(agency__is_active=True)
    }
    issued = 0
    for agency in Agency.objects.filter(is_active=True).order_by("path"):
        if _needs_new(current.get(agency.pk), root):
            agency_certificate_issue(agency, actor=actor)
            issued += 1
    return issued


@transaction.atomic
def agency_certificate_revoke(
    certificate: AgencyCertificate, *, reason: str = "", actor: Any = None
) -> AgencyCertificate:
    """Revoke a certificate (key compromise, agency dissolved…). Signatures it
    made then verify as not trusted; the next signature of the agency gets a
    new certificate when AUTO_ISSUE is on."""
    locked = AgencyCertificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = crypto.wall_clock()
    locked.revocation_reason = reason[:255]
    locked.is_active = False
    locked.save(update_fields=["revoked_at", "revocation_reason", "is_active"])
    audit_record(
        actor=actor,
        action="signing.certificate_revoke",
        target=locked,
        after={"serial": locked.serial, "reason": locked.revocation_reason},
    )
    return locked


@sensitive_variables("key")
def signing_keys_rewrap(*, actor: Any = None) -> int:
    """Re-encrypt every stored private key with the current secret (after a
    SECRET_KEY rotation that kept the old key in SECRET_KEY_FALLBACKS).
    Returns how many keys were re-encrypted."""
    secrets = key_secrets()
    count = 0
    with transaction.atomic():
        for model in (CertificateAuthority, AgencyCertificate):
            for row in model.objects.select_for_update().only("pk", "private_key_pem"):
                try:
                    crypto.key_decrypt(row.private_key_pem, secrets[:1])
                    continue  # already under the current secret
                except crypto.KeyDecryptionError:
                    pass
                try:
                    key = crypto.key_decrypt(row.private_key_pem, secrets[1:])
                except crypto.KeyDecryptionError as exc:
                    raise SigningError(
                        _("Không mở được khóa của %(row)s bằng khóa bí mật hiện có.")
                        % {"row": model._meta.verbose_name}
                    ) from exc
                model.objects.filter(pk=row.pk).update(
                    private_key_pem=crypto.key_encrypt(key, secrets[0])
                )
                count += 1
        if count:
            audit_record(
                actor=actor,
                action="signing.keys_rewrap",
                target=CertificateAuthority.objects.order_by("pk").first(),
                after={"count": count},
            )
    return count
