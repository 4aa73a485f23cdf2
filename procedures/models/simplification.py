"""Simplification plans for internal procedures (Decision 1085/QĐ-TTg)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class SimplificationPlan(models.Model):
    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.PROTECT, related_name="simplification_plans"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    approval_decision = models.CharField(
        _("quyết định phê duyệt phương án"), max_length=128, blank=True
    )
    approved_on = models.DateField(_("ngày phê duyệt"), null=True, blank=True)
    abolish = models.BooleanField(
        _("bãi bỏ thủ tục"), default=False, help_text=_("Phương án bãi bỏ hẳn thủ tục nội bộ này.")
    )
    cost_before_vnd = models.PositiveBigIntegerField(_("chi phí tuân thủ trước (đồng/năm)"))
    cost_after_vnd = models.PositiveBigIntegerField(_("chi phí tuân thủ sau (đồng/năm)"))
    steps_before = models.PositiveSmallIntegerField(_("số bước trước"), default=0, blank=True)
    steps_after = models.PositiveSmallIntegerField(_("số bước sau"), default=0, blank=True)
    documents_before = models.PositiveSmallIntegerField(
        _("số giấy tờ trước"), default=0, blank=True
    )
    documents_after = models.PositiveSmallIntegerField(_("số giấy tờ sau"), default=0, blank=True)
    implemented = models.BooleanField(_("đã thực hiện"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("phương án đơn giản hóa")
        verbose_name_plural = _("phương án đơn giản hóa TTHC nội bộ")
        ordering = ["agency_id", "pk"]

    def __str__(self) -> str:
        return f"{self.procedure} – {self.cost_reduction_percent:.0f}%"

    @property
    def cost_reduction_percent(self) -> Decimal:
        if not self.cost_before_vnd:
            return Decimal(0)
        saved = Decimal(self.cost_before_vnd - self.cost_after_vnd)
        return saved * 100 / Decimal(self.cost_before_vnd)
