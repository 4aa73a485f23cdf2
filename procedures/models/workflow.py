"""The internal workflow (quy trình nội bộ) of a procedure version.

The steps a dossier follows inside the agencies, with each step's time
budget; the version they belong to lives in ``catalogue``.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from tthc_portal.accounts.roles import Role


class BudgetUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")


class WorkflowStep(models.Model):
    """One step of the internal workflow (quy trình nội bộ) of a version."""

    version = models.ForeignKey(
        "procedures.ProcedureVersion", on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("bước"))
    name = models.CharField(_("nội dung công việc"), max_length=500)
    actor_role = models.CharField(_("vai trò thực hiện"), max_length=32, choices=Role.choices)
    actor_text = models.CharField(_("người thực hiện (theo quy trình)"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("đơn vị chịu trách nhiệm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    citizen_status_text = models.CharField(
        _("trạng thái hiển thị cho công dân"), max_length=255, blank=True
    )
    budget = models.DecimalField(_("thời gian"), max_digits=6, decimal_places=2, default=Decimal(0))
    budget_unit = models.CharField(
        _("đơn vị"), max_length=16, choices=BudgetUnit.choices, default=BudgetUnit.WORKING_DAYS
    )
    counted = models.BooleanField(
        _("tính vào thời hạn"),
        default=True,
        help_text=_("Bỏ chọn cho bước trả kết quả 'không tính thời gian'."),
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="workflow_step_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def budget_hours(self, day_length_hours: Decimal = Decimal(8)) -> Decimal:
        if not self.counted:
            return Decimal(0)
        if self.budget_unit == BudgetUnit.WORKING_HOURS:
            return self.budget
        return self.budget * day_length_hours
