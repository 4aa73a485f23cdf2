from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SupplementStage(models.TextChoices):
    BEFORE_RECEIPT = "before_receipt", _("Trước khi tiếp nhận")
    DURING_PROCESSING = "during_processing", _("Trong quá trình giải quyết")


class SupplementState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo chờ lãnh đạo duyệt")
    ISSUED = "issued", _("Đã gửi")
    CANCELLED = "cancelled", _("Đã hủy")


class SupplementRequest(models.Model):
    """One consolidated request (form 02) listing every missing or faulty item."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="supplement_requests"
    )
    stage = models.CharField(max_length=20, choices=SupplementStage.choices)
    # [{"requirement": <id or null>, "name": "...", "reason": "..."}]
    items = models.JSONField(_("các nội dung cần bổ sung"))
    note = models.TextField(_("hướng dẫn thêm"), blank=True)
    justification = models.TextField(_("lý do yêu cầu bổ sung lần hai"), blank=True)
    state = models.CharField(
        max_length=12, choices=SupplementState.choices, default=SupplementState.ISSUED
    )
    # During processing the specialist drafts and the head signs off (§3 row 11).
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    drafted_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        when = self.requested_at or self.drafted_at
        return f"{self.dossier} – {when:%d/%m/%Y}" if when else str(self.dossier)
