"""Messages from the national portal (pushed or pulled), kept raw."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InboundKind(models.TextChoices):
    NEW = "HoSoMoi", _("Hồ sơ mới")
    WITHDRAW = "RutHoSo", _("Yêu cầu rút hồ sơ")
    SUPPLEMENT = "BoSung", _("Bổ sung hồ sơ")
    PAYMENT = "ThanhToan", _("Thanh toán trên Cổng DVCQG")
    RATING = "DanhGia", _("Đánh giá")


class InboundStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Đã tiếp nhận vào hệ thống")
    DUPLICATE = "duplicate", _("Trùng, đã có")
    UNMAPPED = "unmapped", _("Chờ ánh xạ mã")
    REFUSED = "refused", _("Từ chối")


class InboundMessage(models.Model):
    message_id = models.CharField(_("mã bản tin"), max_length=100, unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=InboundKind.choices)
    national_code = models.CharField(_("mã hồ sơ quốc gia"), max_length=64)
    unit_code = models.CharField(_("mã đơn vị"), max_length=64, blank=True)
    via = models.CharField(max_length=8, choices=[("push", "push"), ("pull", "pull")])
    # The envelope as received (file contents replaced by their size and hash).
    payload = models.JSONField()
    status = models.CharField(max_length=12, choices=InboundStatus.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="inbound_messages",
    )  # fmt: skip
    # Files refused by the upload checks, with the reason: the desk sees them.
    problems = models.JSONField(_("vấn đề cần bộ phận một cửa xem"), default=list, blank=True)
    error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bản tin nhận từ Cổng DVCQG")
        verbose_name_plural = _("bản tin nhận từ Cổng DVCQG")
        ordering = ["-received_at"]
        constraints = [
            # One dossier per national code, whatever the message id.
            models.UniqueConstraint(
                fields=["national_code"],
                condition=Q(kind="HoSoMoi", status__in=["accepted", "unmapped"]),
                name="one_new_dossier_per_national_code",
            )
        ]
        indexes = [models.Index(fields=["national_code"], name="inbound_code")]

    def __str__(self) -> str:
        return f"{self.kind} {self.national_code} ({self.status})"
