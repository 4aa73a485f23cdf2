"""Decision 766 index: the scheme as dated data.

Everything the sources leave uncertain (curves, thresholds, maxima, the
zero-denominator policy, intermediate bands) is a row here, never a constant
(indicators-766.md §7).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Display(models.TextChoices):
    SIX_GROUPS = "six_groups", _("Sáu nhóm (Cổng DVCQG)")
    FIVE_GROUPS = "five_groups", _("Năm nhóm (Quyết định 766)")


class Curve(models.TextChoices):
    LINEAR = "linear", _("Tuyến tính")
    CAP = "cap", _("Tuyến tính đến ngưỡng, đủ điểm từ ngưỡng")
    CUSTOM_FACTOR = "custom_factor", _("Hệ số tùy chỉnh (tối đa bằng điểm tối đa)")
    MONITORING = "monitoring", _("Chỉ theo dõi (0 điểm)")


class ZeroDenominator(models.TextChoices):
    ZERO = "zero", _("0 điểm")
    FULL = "full", _("Đủ điểm")


class DueField(models.TextChoices):
    ORIGINAL = "original_due_at", _("Ngày hẹn trả ban đầu")
    CURRENT = "due_at", _("Ngày hẹn trả hiện tại (kể cả gia hạn)")


class Source(models.TextChoices):
    """Where a criterion's figures come from (shown next to every value)."""

    RECORDS = "records", _("Hồ sơ, PAKN do cổng ghi nhận")
    CATALOGUE = "catalogue", _("Danh mục TTHC và quyết định công bố")
    FLAGS = "flags", _("Cờ đồng bộ, tích hợp (cổng không tự kiểm chứng)")
    FALLBACK = "fallback", _("Tỷ lệ cấu hình thay thế")
    UNAVAILABLE = "unavailable", _("Chưa tính được (chưa có công thức hoặc dữ liệu)")


class EarlyRule(models.TextChoices):
    """How periodic reports split "early" from "on time" (dossier-lifecycle.md §8, unconfirmed)."""

    EARLIER_DATE = "earlier_date", _("Kết thúc vào ngày trước ngày hẹn trả (theo giờ địa phương)")
    NONE = "none", _("Không tách: hồ sơ trước hạn tính là đúng hạn")


class PostingRule(models.TextChoices):
    """Which unposted procedures enter the 1.2 denominator (indicators-766.md §3.1, unconfirmed)."""

    DECIDED_BY_END_PLUS = (
        "decided_by_end_plus",
        _("Quyết định ký trước cuối kỳ + số ngày làm việc cho phép (theo mô tả nghiệp vụ)"),
    )
    DUE_BY_END = "due_by_end", _("Hạn công khai (quyết định + số ngày làm việc) trước cuối kỳ")


class IndexRuleSet(models.Model):
    """One dated version of the scheme (groups, criteria, bands, options)."""

    valid_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    name = models.CharField(_("tên bộ chỉ số"), max_length=255)
    display = models.CharField(
        _("cách hiển thị nhóm"), max_length=16, choices=Display.choices, default=Display.SIX_GROUPS
    )
    period_start_day = models.PositiveSmallIntegerField(
        _("ngày bắt đầu kỳ tháng"),
        default=1,
        help_text=_("1: tháng dương lịch; 15: từ ngày 15 tháng trước đến ngày 14 tháng này."),
    )
    due_field = models.CharField(
        _("hạn dùng cho chỉ tiêu 2.1"),
        max_length=16,
        choices=DueField.choices,
        default=DueField.ORIGINAL,
    )
    e_result_include_open = models.BooleanField(
        _("chỉ tiêu 4.1 tính cả hồ sơ chưa kết thúc"), default=False
    )
    dedupe_late_and_disliked = models.BooleanField(
        _("chỉ tiêu 5.4 không tính trùng hồ sơ vừa trễ hạn vừa không hài lòng"), default=False
    )
    early_rule = models.CharField(
        _("cách tách hồ sơ trước hạn (báo cáo định kỳ)"),
        max_length=16,
        choices=EarlyRule.choices,
        default=EarlyRule.EARLIER_DATE,
    )
    posting_rule = models.CharField(
        _("hồ sơ TTHC chưa công khai tính vào mẫu số 1.2"),
        max_length=24,
        choices=PostingRule.choices,
        default=PostingRule.DECIDED_BY_END_PLUS,
    )
    posting_working_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc để công khai (chỉ tiêu 1.2)"), default=5
    )
    source = models.CharField(_("căn cứ"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bộ chỉ số 766")
        verbose_name_plural = _("bộ chỉ số 766")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y})"

    @classmethod
    def in_force(cls, day) -> IndexRuleSet:
        rule_set = cls.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
        if rule_set is None:
            raise cls.DoesNotExist(f"no 766 rule set in force on {day}")
        return rule_set


class IndicatorGroup(models.Model):
    rule_set = models.ForeignKey(IndexRuleSet, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("mã nhóm"), max_length=64)
    name = models.CharField(_("tên nhóm"), max_length=255)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    decision_group = models.PositiveSmallIntegerField(
        _("nhóm theo Quyết định 766"),
        default=1,
        help_text=_("Dùng khi hiển thị năm nhóm: các nhóm cùng số được cộng lại."),
    )

    class Meta:
        verbose_name = _("nhóm chỉ số")
        verbose_name_plural = _("nhóm chỉ số")
        ordering = ["rule_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="indicator_group_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    rule_set = models.ForeignKey(IndexRuleSet, on_delete=models.CASCADE, related_name="criteria")
    group = models.ForeignKey(IndicatorGroup, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("mã chỉ tiêu"), max_length=16)
    api_key = models.CharField(_("khóa trên Cổng DVCQG"), max_length=64, blank=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=500)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    curve = models.CharField(_("cách tính điểm"), max_length=16, choices=Curve.choices)
    threshold = models.DecimalField(
        _("ngưỡng đủ điểm (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    factor = models.DecimalField(_("hệ số"), max_digits=6, decimal_places=3, null=True, blank=True)
    zero_denominator = models.CharField(
        _("khi mẫu số bằng 0"),
        max_length=8,
        choices=ZeroDenominator.choices,
        default=ZeroDenominator.ZERO,
    )
    fallback_ratio = models.DecimalField(
        _("tỷ lệ thay thế khi không quan sát được (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Để trống: 0 điểm khi cổng không tự tính được chỉ tiêu này."),
    )
    source = models.CharField(
        _("nguồn số liệu"), max_length=12, choices=Source.choices, default=Source.RECORDS
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["rule_set", "group__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="criterion_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def rule(self):
        from ..scoring import Rule

        return Rule(
            max_points=self.max_points,
            curve=self.curve,
            threshold=self.threshold,
            factor=self.factor,
            zero_denominator=self.zero_denominator,
        )


class RatingBand(models.Model):
    """Lower bound (inclusive) of a band. With a group: % of that group's maximum."""

    rule_set = models.ForeignKey(IndexRuleSet, on_delete=models.CASCADE, related_name="bands")
    group = models.ForeignKey(
        IndicatorGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="bands"
    )
    lower_bound = models.DecimalField(_("từ mức (điểm hoặc %)"), max_digits=6, decimal_places=2)
    label = models.CharField(_("xếp loại"), max_length=64)

    class Meta:
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")
        ordering = ["rule_set", "group", "-lower_bound"]

    def __str__(self) -> str:
        return f"≥ {self.lower_bound}: {self.label}"
