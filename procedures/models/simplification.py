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
    # The measured reduction counts from this date: progress against a deadline
    # needs when, not only whether, the plan was carried out.
    implemented_on = models.DateField(_("ngày thực thi xong"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        verbose_name = _("phương án đơn giản hóa")
        verbose_name_plural = _("phương án đơn giản hóa TTHC nội bộ")
        ordering = ["agency_id", "pk"]
        constraints = [
            # One plan per procedure: two would count its cost and its abolition twice.
            models.UniqueConstraint(
                fields=["procedure"],
                name="simplification_plan_per_procedure",
                violation_error_message=_(
                    "Thủ tục này đã có phương án đơn giản hóa; hãy sửa phương án đó."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(cost_after_vnd__lte=models.F("cost_before_vnd")),
                name="simplification_cost_not_raised",
                violation_error_message=_("Chi phí sau không được lớn hơn chi phí trước."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} – {self.cost_reduction_percent:.0f}%"

    @property
    def cost_reduction_percent(self) -> Decimal:
        if not self.cost_before_vnd:
            return Decimal(0)
        saved = Decimal(self.cost_before_vnd - self.cost_after_vnd)
        return saved * 100 / Decimal(self.cost_before_vnd)


class SimplificationTarget(models.Model):
    """A dated target for cutting internal procedures (Decision 1085/QĐ-TTg).

    The national decision sets 20 % / 20 % for ministries; provinces set their own
    dates (the Hưng Yên letter of 5/2024: inventory by 05/6/2024, done before
    05/10/2024). Targets for localities are unconfirmed, so they are rows, not code.
    """

    name = models.CharField(_("tên mục tiêu"), max_length=255)
    count_cut_percent = models.DecimalField(
        _("cắt giảm số thủ tục (%)"), max_digits=5, decimal_places=2, default=Decimal(20)
    )
    cost_cut_percent = models.DecimalField(
        _("cắt giảm chi phí tuân thủ (%)"), max_digits=5, decimal_places=2, default=Decimal(20)
    )
    inventory_due = models.DateField(_("hạn thống kê, rà soát"), null=True, blank=True)
    completion_due = models.DateField(_("hạn hoàn thành"))
    valid_from = models.DateField(_("áp dụng từ ngày"))
    source = models.CharField(_("căn cứ"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("mục tiêu đơn giản hóa TTHC nội bộ")
        verbose_name_plural = _("mục tiêu đơn giản hóa TTHC nội bộ")
        ordering = ["-valid_from", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.completion_due:%d/%m/%Y})"
