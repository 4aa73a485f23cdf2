from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    REQUESTED = "requested", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán không thành công")
    CANCELLED = "cancelled", _("Đã hủy")
    REFUNDED = "refunded", _("Đã hoàn tiền")


class GatewayFlag(models.IntegerChoices):
    """DuocThanhToanTrucTuyen: 1 national platform, 2 ministry/provincial gateway."""

    NATIONAL = 1, _("Nền tảng thanh toán của Cổng DVCQG")
    LOCAL = 2, _("Cổng thanh toán của tỉnh")


class Payment(models.Model):
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="payments"
    )
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # [{"name": "...", "kind": "fee|charge", "amount_vnd": 10000}]
    fee_items = models.JSONField(_("danh sách phí, lệ phí"))
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    gateway = models.CharField(_("cổng thanh toán"), max_length=32)
    gateway_flag = models.PositiveSmallIntegerField(
        choices=GatewayFlag.choices, null=True, blank=True
    )
    status = models.CharField(
        max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.REQUESTED
    )
    transaction_ref = models.CharField(max_length=64, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    receipt_no = models.CharField(_("số biên lai"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=models.Q(status="requested"),
                name="one_open_payment_per_dossier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.amount_vnd} đ ({self.get_status_display()})"
