"""Nightly comparison with the hub, and the official figures it publishes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReconciliationRun(models.Model):
    target = models.ForeignKey("integrations.Target", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    checked = models.PositiveIntegerField(_("số hồ sơ đã đối chiếu"), default=0)
    differences = models.PositiveIntegerField(_("số chênh lệch"), default=0)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("lượt đối soát")
        verbose_name_plural = _("lượt đối soát")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.differences})"


class DifferenceKind(models.TextChoices):
    MISSING = "missing", _("Cổng DVCQG không có hồ sơ")
    STATUS = "status", _("Khác trạng thái")
    DATES = "dates", _("Khác ngày")
    EVENTS = "events", _("Thiếu hoặc khác tiến độ")


class Difference(models.Model):
    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="items")
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="+", null=True
    )
    code = models.CharField(_("mã hồ sơ"), max_length=64)
    kind = models.CharField(_("loại chênh lệch"), max_length=8, choices=DifferenceKind.choices)
    field = models.CharField(_("trường"), max_length=40, blank=True)
    local_value = models.CharField(_("tại tỉnh"), max_length=200, blank=True)
    national_value = models.CharField(_("tại Cổng DVCQG"), max_length=200, blank=True)
    resynced_at = models.DateTimeField(null=True, blank=True)
    resynced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("chênh lệch")
        verbose_name_plural = _("chênh lệch")
        ordering = ["code", "kind", "field"]
        indexes = [
            models.Index(fields=["run", "code"], name="difference_run_code"),
            models.Index(
                fields=["dossier"], name="difference_open", condition=Q(resynced_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.kind} {self.field}"


class NationalFigure(models.Model):
    """An official value read from the hub (a count or a 766 criterion). Rows
    are appended, never overwritten: each fetch is kept beside the local value."""

    target = models.ForeignKey("integrations.Target", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unit_code = models.CharField(max_length=64)
    period = models.CharField(_("kỳ"), max_length=16)
    key = models.CharField(_("chỉ số"), max_length=32)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    raw = models.JSONField(default=dict)
    fetched_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("số liệu chính thức từ Cổng DVCQG")
        verbose_name_plural = _("số liệu chính thức từ Cổng DVCQG")
        ordering = ["-fetched_at"]
        indexes = [models.Index(fields=["unit_code", "period", "key", "-fetched_at"],
                                name="figure_latest")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.unit_code} {self.period} {self.key}={self.value}"
