"""Dated configuration: rating rule sets (criteria, rubric, bands) and PAKN deadlines.

Everything the domain spec marks "unconfirmed — keep configurable" lives in
these rows, seeded by a data migration and edited in the admin. A row is in
force from ``valid_from`` until the next row of the same kind (or its own
``valid_to``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RatingScale(models.TextChoices):
    POINTS = "points", _("Chấm điểm 0–2 theo tiêu chí")
    LIKERT5 = "likert5", _("Thang 5 mức (Rất hài lòng … Rất không hài lòng)")
    THREE_LEVEL = "three_level", _("Thang 3 mức (Rất hài lòng / Hài lòng / Không hài lòng)")
    LIKE_DISLIKE = "like_dislike", _("Thích / không thích")


class RatingRuleSet(models.Model):
    """One version of the evaluation sheet: its criteria, rubric and bands."""

    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    scale = models.CharField(
        _("thang đánh giá"), max_length=16, choices=RatingScale.choices, default=RatingScale.POINTS
    )
    edit_window_days = models.PositiveSmallIntegerField(
        _("số ngày được sửa đánh giá"),
        default=7,
        help_text=_("Người đánh giá được sửa trong số ngày này kể từ khi gửi (0: không cho sửa)."),
    )
    review_below_total = models.PositiveSmallIntegerField(
        _("mở việc xem xét khi tổng điểm dưới"),
        default=9,
        help_text=_(
            "Một đánh giá “không hài lòng” hoặc có tổng điểm dưới mức này được giao "
            "lãnh đạo đơn vị xem xét."
        ),
    )
    source = models.CharField(_("căn cứ"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bộ tiêu chí đánh giá")
        verbose_name_plural = _("bộ tiêu chí đánh giá")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y})"

    @property
    def max_total(self) -> int:
        return sum(c.max_score for c in self.criteria.all())


class Prefill(models.TextChoices):
    NONE = "none", _("Người đánh giá tự chấm")
    TIMELINESS = "timeliness", _("Theo tiến độ giải quyết hồ sơ")
    CONTACTS = "contacts", _("Theo số lần phải liên hệ")
    AGENCIES = "agencies", _("Theo số cơ quan phải liên hệ")


class RatingCriterion(models.Model):
    """A criterion of a rule set with its rubric (how the system pre-fills it).

    ``rubric`` by ``prefill``:

    * ``timeliness``: ``{"early": 2, "on_time": 2, "late_with_apology": 1, "late": 0}``;
    * ``contacts`` / ``agencies``: ``{"thresholds": [[1, 2], [2, 1]], "otherwise": 0}`` —
      a measured count ≤ 1 scores 2, ≤ 2 scores 1, more scores 0. For
      ``agencies``, ``"count_coordinating": true`` adds the procedure's
      coordinating agencies to the one receiving agency.

    ``choice_labels`` maps a score to the words shown beside it (``{"0": "…"}``).
    """

    rule_set = models.ForeignKey(RatingRuleSet, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("mã tiêu chí"), max_length=40)
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    label = models.CharField(_("tiêu chí"), max_length=255)
    description = models.TextField(_("diễn giải"), blank=True)
    min_score = models.PositiveSmallIntegerField(_("điểm thấp nhất"), default=0)
    max_score = models.PositiveSmallIntegerField(_("điểm cao nhất"), default=2)
    prefill = models.CharField(
        _("hệ thống điền sẵn"), max_length=16, choices=Prefill.choices, default=Prefill.NONE
    )
    rubric = models.JSONField(_("quy tắc chấm"), default=dict, blank=True)
    choice_labels = models.JSONField(_("nhãn các mức điểm"), default=dict, blank=True)

    class Meta:
        verbose_name = _("tiêu chí đánh giá")
        verbose_name_plural = _("tiêu chí đánh giá")
        ordering = ["rule_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="criterion_code_per_set"),
            models.CheckConstraint(
                condition=models.Q(max_score__gte=models.F("min_score")),
                name="criterion_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.label}"

    def choices(self) -> list[tuple[int, str]]:
        return [
            (score, str(self.choice_labels.get(str(score), score)))
            for score in range(self.max_score, self.min_score - 1, -1)
        ]


class RatingBand(models.Model):
    """A grading band on the total: ``min_total ≤ total < max_total`` (open ends: null)."""

    rule_set = models.ForeignKey(RatingRuleSet, on_delete=models.CASCADE, related_name="bands")
    code = models.CharField(_("mã xếp loại"), max_length=24)
    label = models.CharField(_("xếp loại"), max_length=100)
    min_total = models.DecimalField(
        _("từ (tính cả)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    max_total = models.DecimalField(
        _("đến (không tính)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("xếp loại đánh giá")
        verbose_name_plural = _("xếp loại đánh giá")
        ordering = ["rule_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="band_code_per_set"),
        ]

    def __str__(self) -> str:
        return self.label

    def contains(self, total) -> bool:
        return (self.min_total is None or total >= self.min_total) and (
            self.max_total is None or total < self.max_total
        )


class PaknDeadlineKey(models.TextChoices):
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    FIRST_SUPPLEMENT = "first_supplement", _("Yêu cầu bổ sung thông tin lần đầu")
    FORWARD = "forward", _("Chuyển PAKN ngoài thẩm quyền")
    HANDLE = "handle", _("Xử lý xong (chờ công khai / đã công khai)")
    PUBLISH = "publish", _("Công khai kết quả xử lý")


class DeadlineMode(models.TextChoices):
    WORKING_HOURS = "working_hours", _("Cộng giờ làm việc (8 giờ một ngày)")
    WHOLE_DAY = "whole_day", _("Tròn ngày (không tính ngày nhận, hết giờ làm việc ngày cuối)")


class PaknDeadlineRule(models.Model):
    """anchor + N working days, as a dated, editable row (feedback.md, Deadlines)."""

    key = models.CharField(_("hạn"), max_length=20, choices=PaknDeadlineKey.choices)
    working_days = models.DecimalField(_("số ngày làm việc"), max_digits=5, decimal_places=2)
    mode = models.CharField(
        _("cách tính"),
        max_length=16,
        choices=DeadlineMode.choices,
        default=DeadlineMode.WORKING_HOURS,
    )
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("quy tắc thời hạn PAKN")
        verbose_name_plural = _("quy tắc thời hạn PAKN")
        ordering = ["key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="pakn_rule_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {self.working_days} ngày làm việc"


class PaknPolicy(models.Model):
    """Dated switches for PAKN handling that the sources leave open."""

    valid_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    supplement_pauses_clock = models.BooleanField(
        _("yêu cầu bổ sung tạm dừng thời hạn xử lý"), default=True
    )
    due_soon_working_days = models.DecimalField(
        _("báo sắp đến hạn trước (ngày làm việc)"), max_digits=4, decimal_places=2, default=1
    )
    publish_identity_with_consent = models.BooleanField(
        _("công khai họ tên người gửi khi họ đồng ý"), default=True
    )
    complaints_url = models.URLField(
        _("địa chỉ tiếp nhận khiếu nại, tố cáo"),
        blank=True,
        help_text=_("Khiếu nại, tố cáo không xử lý như PAKN: trang PAKN dẫn người dân tới đây."),
    )
    max_attachments = models.PositiveSmallIntegerField(_("số tệp đính kèm tối đa"), default=5)
    source = models.CharField(_("căn cứ"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("chính sách xử lý PAKN")
        verbose_name_plural = _("chính sách xử lý PAKN")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        label = _("Chính sách PAKN")
        return f"{label} {self.valid_from:%d/%m/%Y}"
