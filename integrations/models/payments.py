"""PayGov messages and data-store look-ups, kept raw as evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentMessage(models.Model):
    payment = models.ForeignKey(
        "dossiers.Payment", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="gateway_messages",
    )  # fmt: skip
    reference = models.CharField(_("mã tham chiếu"), max_length=100, db_index=True)
    direction = models.CharField(max_length=4, choices=[("out", _("Gửi")), ("in", _("Nhận"))])
    kind = models.CharField(_("loại bản tin"), max_length=16)
    body = models.JSONField()
    verified = models.BooleanField(_("MaXacThuc hợp lệ"), null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bản tin PayGov")
        verbose_name_plural = _("bản tin PayGov")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"


class StoreLookup(models.Model):
    """One look-up in the citizen's data store, with the store's signature."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="store_lookups"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.PositiveSmallIntegerField(_("kênh (1 một cửa, 2 công dân)"))
    request = models.JSONField()
    response = models.JSONField(default=dict)
    signature = models.CharField(max_length=200, blank=True)
    signature_valid = models.BooleanField(null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tra cứu kho dữ liệu")
        verbose_name_plural = _("tra cứu kho dữ liệu")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.at:%Y-%m-%d %H:%M}"


class StoreEvidence(models.Model):
    """What a component filled from the data store rests on: the signed look-up
    and the result it took (sent as DuocLayTuKhoDMQG / MaKetQuaThayThe)."""

    lookup = models.ForeignKey(StoreLookup, on_delete=models.PROTECT, related_name="evidence")
    component = models.OneToOneField(
        "dossiers.DossierComponent", on_delete=models.CASCADE, related_name="store_evidence"
    )
    result_code = models.CharField(_("mã kết quả (MaKetQua)"), max_length=100, blank=True)
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    index = models.PositiveSmallIntegerField(_("vị trí trong kết quả tra cứu"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("căn cứ lấy từ kho dữ liệu")
        verbose_name_plural = _("căn cứ lấy từ kho dữ liệu")

    def __str__(self) -> str:
        return f"{self.component_id} ← {self.result_code}"
