"""Report periods, their computed (predicted) results and recomputation runs.

A period is opened by its label ("2025-05", "2025-Q2", "2025"), computed as
often as needed while open, then published: its rows are frozen from then on
(indicators-766.md §5 — later corrections show as deltas, never as silent
changes).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .scheme import IndexRuleSet, Source


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    YEAR = "year", _("Năm")


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Đang mở (số liệu dự tính)")
    PUBLISHED = "published", _("Đã công bố (số liệu đã chốt)")


QUARTER_NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV"}


class ReportPeriod(models.Model):
    label = models.CharField(_("kỳ"), max_length=16)
    kind = models.CharField(_("loại kỳ"), max_length=8, choices=PeriodKind.choices)
    reporting_15th = models.BooleanField(
        _("kỳ từ ngày 15 tháng trước đến ngày 14"),
        default=False,
        help_text=_("Kỳ báo cáo định kỳ của Chính phủ; bỏ chọn: tháng, quý, năm dương lịch."),
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    rule_set = models.ForeignKey(
        IndexRuleSet, verbose_name=_("bộ chỉ số"), on_delete=models.PROTECT, related_name="periods"
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    computed_at = models.DateTimeField(_("tính lần cuối"), null=True, blank=True)
    # Set at publication, when the items behind each frozen score were stored
    # (FrozenCase); None for periods published before lists were frozen.
    cases_frozen_at = models.DateTimeField(
        _("thời điểm chốt danh sách chi tiết"), null=True, blank=True
    )
    published_at = models.DateTimeField(_("thời điểm công bố"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người công bố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kỳ chỉ số 766")
        verbose_name_plural = _("kỳ chỉ số 766")
        ordering = ["-start", "-end"]
        constraints = [
            models.UniqueConstraint(fields=["label", "reporting_15th"], name="report_period_label"),
            models.UniqueConstraint(fields=["start", "end"], name="report_period_dates"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_ordered"),
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def is_published(self) -> bool:
        return self.status == PeriodStatus.PUBLISHED

    @property
    def title(self) -> str:
        """Vietnamese name: "Tháng 05/2025", "Quý II/2025", "Năm 2025" (+ 15–14 dates)."""
        year = self.label[:4]
        if self.kind == PeriodKind.MONTH and len(self.label) == 7:
            text = _("Tháng %(month)s/%(year)s") % {"month": self.label[5:7], "year": year}
        elif self.kind == PeriodKind.QUARTER and self.label[-1:].isdigit():
            numeral = QUARTER_NUMERALS.get(int(self.label[-1]), self.label[-1])
            text = _("Quý %(quarter)s/%(year)s") % {"quarter": numeral, "year": year}
        elif self.kind == PeriodKind.YEAR:
            text = _("Năm %(year)s") % {"year": year}
        else:
            text = self.label
        if self.reporting_15th:
            return f"{text} ({self.start:%d/%m/%Y}–{self.end:%d/%m/%Y})"
        return str(text)


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tính")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class RunKind(models.TextChoices):
    RECOMPUTE = "recompute", _("Tính lại")
    # Recompute, freeze the failing items and mark the period published (§5).
    PUBLISH = "publish", _("Công bố")


class RecomputeRun(models.Model):
    """One (re)computation or publication of a period; the page polls ``progress``."""

    period = models.ForeignKey(ReportPeriod, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(
        _("loại lượt"), max_length=10, choices=RunKind.choices, default=RunKind.RECOMPUTE
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("đơn vị (trống: toàn tỉnh)"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    message = models.CharField(_("thông báo"), max_length=500, blank=True)
    results_count = models.PositiveIntegerField(_("số kết quả đã lưu"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt tính chỉ số 766")
        verbose_name_plural = _("lượt tính chỉ số 766")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # At most one queued or running computation per period.
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_recompute",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="run_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.period} – {self.get_status_display()} {self.progress}%"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_RUN_STATUSES

    @property
    def is_publication(self) -> bool:
        return self.kind == RunKind.PUBLISH


class IndicatorResult(models.Model):
    """A locally computed (predicted) value of one criterion for one unit.

    Recomputing an open period replaces its rows; a published period's rows
    are frozen. ``period_start``/``period_end`` copy the period's dates for
    date-range reads (trends). Official DVCQG values live elsewhere and are
    never overwritten by this.
    """

    period = models.ForeignKey(
        ReportPeriod,
        verbose_name=_("kỳ"),
        on_delete=models.PROTECT,
        related_name="results",
    )
    rule_set = models.ForeignKey(IndexRuleSet, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("đơn vị (trống: toàn tỉnh)"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    criterion_code = models.CharField(_("mã chỉ tiêu"), max_length=16)
    group_code = models.CharField(_("mã nhóm"), max_length=64, blank=True)
    numerator = models.DecimalField(_("tử số"), max_digits=14, decimal_places=2)
    denominator = models.DecimalField(_("mẫu số"), max_digits=14, decimal_places=2)
    ratio = models.DecimalField(_("tỷ lệ (%)"), max_digits=7, decimal_places=2)
    score = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    observable = models.BooleanField(_("cổng tự tính được"), default=True)
    source = models.CharField(
        _("nguồn số liệu"), max_length=12, choices=Source.choices, default=Source.RECORDS
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    computed_at = models.DateTimeField(_("thời điểm tính"))
    # The score now judges open items at ``judged_at`` (computed_at capped at the
    # period end: not yet due = within deadline); the forecast judges them at the
    # period end, as the closed period will if nothing changes. Equal once closed.
    judged_at = models.DateTimeField(_("thời điểm đánh giá"), null=True, blank=True)
    forecast_numerator = models.DecimalField(
        _("tử số dự báo cuối kỳ"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    forecast_ratio = models.DecimalField(
        _("tỷ lệ dự báo cuối kỳ (%)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    forecast_score = models.DecimalField(
        _("điểm dự báo cuối kỳ"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("kết quả chỉ số 766 (dự tính)")
        verbose_name_plural = _("kết quả chỉ số 766 (dự tính)")
        ordering = ["period_start", "agency", "criterion_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "agency", "criterion_code"],
                condition=Q(agency__isnull=False),
                name="indicator_result_unit",
            ),
            models.UniqueConstraint(
                fields=["period", "criterion_code"],
                condition=Q(agency__isnull=True),
                name="indicator_result_province",
            ),
        ]
        indexes = [models.Index(fields=["period_end", "agency"], name="indicator_result_trend")]

    def __str__(self) -> str:
        return f"{self.period_id} {self.agency_id or '*'} {self.criterion_code}"


class FrozenCase(models.Model):
    """One item (dossier, procedure, publication item, PAKN) that cost a unit
    points on one criterion of a published period, stored at publication with
    the frozen scores so that the drill-down of a published period never
    changes (issue #14, item 2). ``agency`` is the reported unit whose list it
    belongs to (None: the province), as on ``IndicatorResult``."""

    period = models.ForeignKey(ReportPeriod, on_delete=models.CASCADE, related_name="cases")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    criterion_code = models.CharField(_("mã chỉ tiêu"), max_length=16)
    kind = models.CharField(_("loại"), max_length=16)
    object_id = models.BigIntegerField(_("mã đối tượng"))
    reason = models.CharField(_("lý do mất điểm"), max_length=255, blank=True)
    # Dossiers: the dates as they were judged at publication.
    due_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    end_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mục mất điểm đã chốt")
        verbose_name_plural = _("mục mất điểm đã chốt")
        indexes = [
            models.Index(fields=["period", "criterion_code", "agency"], name="frozen_case_list")
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.agency_id or '*'} {self.criterion_code} #{self.object_id}"


class DossierRow(models.Model):
    """One candidate dossier of a computation, with every per-dossier value the
    criteria need evaluated once (``indicators.engine.rows``).

    Not a table: the engine fills a session-local temporary table of this name
    for the length of one computation, so each correlated sub-query runs once
    per dossier instead of once per criterion that mentions it.
    """

    id = models.BigIntegerField(primary_key=True)
    receiving_agency_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField(null=True)
    field_id = models.BigIntegerField(null=True)
    channel = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=24)
    sync_status = models.CharField(max_length=16)
    vneid_verified = models.BooleanField()
    population_db_used = models.BooleanField()
    received_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True)
    returned_at = models.DateTimeField(null=True)
    end_at = models.DateTimeField(null=True)
    due = models.DateTimeField(null=True)
    pause = models.DurationField(null=True)
    n_requests = models.IntegerField()
    pending_at = models.DateTimeField(null=True)
    paper = models.BooleanField()
    citizen = models.BooleanField()
    e_result = models.BooleanField()
    component_flags = models.IntegerField()  # bits: 1 digitised, 2 reused, 4 personal store
    pushed = models.BooleanField()
    fee_bearing = models.BooleanField()
    payment_flags = models.IntegerField()  # bits: 1 any, 2 non-zero, 4 paid online
    marked = models.BooleanField()

    class Meta:
        managed = False
        db_table = "indicators_dossier_rows"
        default_permissions = ()

    def __str__(self) -> str:
        return f"#{self.pk}"
