"""The demo certificate authority and the signing certificate of each agency.

Private keys are stored encrypted (PKCS#8, PBES2/AES-256) with a passphrase
derived from ``TTHC["SIGNING"]["OPTIONS"]["KEY_SECRET"]`` or, when that is
empty, from ``SECRET_KEY`` (see ``crypto.key_passphrases``). They live in the
database rather than in files because the certificate, its key and the audit
event of the issuance are then written in one transaction, every process (web,
Celery worker, another host) reads the same rows, and a backup restores
certificates and keys together — while the database alone still cannot sign:
the passphrase is never stored in it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CertificateAuthority(models.Model):
    """A root certificate that issues the agencies' signing certificates.

    Exactly one is active (issuing); older ones stay as trust anchors so that
    results signed under them still verify.
    """

    name = models.CharField(_("tên"), max_length=255)
    certificate_pem = models.TextField(_("chứng thư (PEM)"))
    # Encrypted PKCS#8 PEM; never shown in the admin, never logged.
    private_key_pem = models.TextField(editable=False)
    serial = models.CharField(_("số hiệu"), max_length=64, unique=True)
    fingerprint_sha256 = models.CharField(_("dấu vân tay SHA-256"), max_length=64)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    is_active = models.BooleanField(_("đang dùng để cấp"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tổ chức cấp chứng thư")
        verbose_name_plural = _("tổ chức cấp chứng thư")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="signing_one_active_root"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AgencyCertificateQuerySet(models.QuerySet):
    def active(self) -> AgencyCertificateQuerySet:
        return self.filter(is_active=True)

    def revoked(self) -> AgencyCertificateQuerySet:
        return self.filter(revoked_at__isnull=False)


class AgencyCertificate(models.Model):
    """An agency's signing certificate issued by a ``CertificateAuthority``.

    One active certificate per agency. A re-issued certificate is only
    superseded (``is_active`` false): what it signed stays valid. A revoked one
    (``revoked_at``) is listed in the CRL used when verifying.
    """

    authority = models.ForeignKey(
        CertificateAuthority,
        verbose_name=_("tổ chức cấp"),
        on_delete=models.PROTECT,
        related_name="issued_certificates",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="signing_certificates",
    )
    subject = models.CharField(_("chủ thể"), max_length=500)
    certificate_pem = models.TextField(_("chứng thư (PEM)"))
    private_key_pem = models.TextField(editable=False)
    serial = models.CharField(_("số hiệu"), max_length=64, unique=True)
    fingerprint_sha256 = models.CharField(_("dấu vân tay SHA-256"), max_length=64)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    is_active = models.BooleanField(_("đang dùng"), default=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revocation_reason = models.CharField(_("lý do thu hồi"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("cấp lúc"), auto_now_add=True)

    objects = AgencyCertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("chứng thư số của cơ quan")
        verbose_name_plural = _("chứng thư số của cơ quan")
        ordering = ["agency_id", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(is_active=True),
                name="signing_one_active_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(is_active=False) | Q(revoked_at__isnull=True),
                name="signing_revoked_not_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.serial[:12]})"

    def usable_at(self, moment: datetime, *, margin: timedelta = timedelta(0)) -> bool:
        """Active, not revoked, valid at ``moment`` and still for ``margin``."""
        return (
            self.is_active
            and self.revoked_at is None
            and self.not_before <= moment
            and moment + margin < self.not_after
        )

    @property
    def is_expired(self) -> bool:
        from .crypto import wall_clock

        return self.not_after <= wall_clock()


class PersonCertificate(models.Model):
    """A person's own signing certificate (chữ ký số cá nhân of an official who
    signs for the agency), issued by a ``CertificateAuthority``.

    A paper the head approves carries two signatures: this one, then the
    agency's (Decree 30/2020 Art. 13: the leader signs, the records office
    applies the agency's). One active certificate per person; a re-issue
    supersedes the previous one, which stays valid for what it signed."""

    authority = models.ForeignKey(
        CertificateAuthority,
        verbose_name=_("tổ chức cấp"),
        on_delete=models.PROTECT,
        related_name="issued_person_certificates",
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("người ký"),
        on_delete=models.PROTECT,
        related_name="signing_certificates",
    )
    subject = models.CharField(_("chủ thể"), max_length=500)
    certificate_pem = models.TextField(_("chứng thư (PEM)"))
    private_key_pem = models.TextField(editable=False)
    serial = models.CharField(_("số hiệu"), max_length=64, unique=True)
    fingerprint_sha256 = models.CharField(_("dấu vân tay SHA-256"), max_length=64)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("cấp lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("chứng thư số cá nhân")
        verbose_name_plural = _("chứng thư số cá nhân")
        ordering = ["user_id", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_active=True), name="signing_one_active_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.serial[:12]})"

    def usable_at(self, moment: datetime, *, margin: timedelta = timedelta(0)) -> bool:
        return self.is_active and self.not_before <= moment and moment + margin < self.not_after
