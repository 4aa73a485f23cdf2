"""Serializers of the 766 API: read-only shapes of the services' answers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tthc_portal.api_errors import ApiErrorSerializer

from ..models import RecomputeRun, ReportPeriod

# The one envelope shared by the whole API (component "ApiError").
IndicatorErrorSerializer = ApiErrorSerializer


class RunSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecomputeRun
        fields = [
            "id",
            "period",
            "agency",
            "status",
            "progress",
            "message",
            "results_count",
            "created_at",
            "started_at",
            "finished_at",
        ]


class PeriodSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    published_by = serializers.SerializerMethodField()

    class Meta:
        model = ReportPeriod
        fields = [
            "id",
            "label",
            "title",
            "kind",
            "reporting_15th",
            "start",
            "end",
            "status",
            "computed_at",
            "published_at",
            "published_by",
            "cases_frozen_at",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_published_by(self, period: ReportPeriod) -> str:
        return str(period.published_by) if period.published_by_id else ""


class PeriodCreateSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=16, help_text="2025-05, 2025-Q2 hoặc 2025")
    reporting_15th = serializers.BooleanField(default=False)


class ResultSerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="agency_id", allow_null=True)
    agency_name = serializers.SerializerMethodField()
    criterion = serializers.CharField(source="criterion_code")
    group = serializers.CharField(source="group_code")
    numerator = serializers.DecimalField(max_digits=14, decimal_places=2)
    denominator = serializers.DecimalField(max_digits=14, decimal_places=2)
    ratio = serializers.DecimalField(max_digits=7, decimal_places=2)
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    max_points = serializers.DecimalField(max_digits=6, decimal_places=2)
    observable = serializers.BooleanField()
    source = serializers.CharField()
    note = serializers.CharField()
    computed_at = serializers.DateTimeField()
    judged_at = serializers.DateTimeField(
        allow_null=True,
        help_text="Thời điểm đánh giá hồ sơ, PAKN còn mở (cuối kỳ khi đã hết kỳ)",
    )
    forecast_numerator = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Tử số dự báo cuối kỳ"
    )
    forecast_ratio = serializers.DecimalField(
        max_digits=7, decimal_places=2, allow_null=True, help_text="Tỷ lệ dự báo cuối kỳ (%)"
    )
    forecast_score = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text="Điểm dự báo cuối kỳ nếu không có thay đổi (bằng điểm khi kỳ đã kết thúc)",
    )

    @extend_schema_field(OpenApiTypes.STR)
    def get_agency_name(self, row) -> str:
        return row.agency.name if row.agency_id else _("Toàn tỉnh")


class SummarySerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="agency_id", allow_null=True)
    name = serializers.CharField()
    code = serializers.CharField()
    kind = serializers.CharField()
    groups = serializers.DictField(child=serializers.DecimalField(max_digits=6, decimal_places=2))
    decision_groups = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2)
    )
    total = serializers.DecimalField(
        max_digits=6, decimal_places=2, help_text="Điểm hiện tại (hồ sơ chưa đến hạn: trong hạn)"
    )
    band = serializers.CharField()
    forecast_total = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        help_text="Dự báo cuối kỳ nếu không có thay đổi (bằng tổng điểm khi kỳ đã kết thúc)",
    )
    points_at_stake = serializers.DecimalField(max_digits=6, decimal_places=2)
    judged_at = serializers.DateTimeField(allow_null=True)


class CaseSerializer(serializers.Serializer):
    """One item costing points; the same shape whatever its kind."""

    kind = serializers.CharField()
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="Mã hồ sơ, mã TTHC hoặc mã PAKN")
    title = serializers.CharField(help_text="Tên thủ tục hoặc tiêu đề PAKN")
    agency = serializers.CharField(allow_blank=True)
    date = serializers.CharField(allow_blank=True, help_text="Ngày tiếp nhận / quyết định")
    due_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()

    def to_representation(self, row: Any) -> dict:
        kind = self.context["kind"]
        data = {"kind": kind, "id": row.pk, "code": "", "title": "", "agency": "", "date": ""}
        data.update({"due_at": None, "status": "", "reason": row.reason})
        if kind == "dossier":
            data.update(
                code=row.code or f"#{row.pk}",
                title=row.procedure_version.name,
                agency=row.receiving_agency.name,
                date=row.received_at.isoformat() if row.received_at else "",
                due_at=row.deadline.isoformat() if row.deadline else None,
                status=str(row.get_status_display()),
            )
        elif kind == "procedure":
            version = row.current_version
            data.update(
                code=row.localised_code,
                title=version.name if version else "",
                agency=(
                    version.implementing_agency.name
                    if version and version.implementing_agency_id
                    else (version.implementing_agency_text if version else "")
                ),
            )
        elif kind == "publication_item":
            data.update(
                code=row.procedure_code,
                title=row.procedure_name,
                agency=row.task.agency.name if row.task_id else "",
                date=str(row.task.chairman_decision_date or "") if row.task_id else "",
                status=str(row.get_change_type_display()),
            )
        elif kind == "feedback":
            data.update(
                code=row.code,
                title=row.title,
                agency=row.agency.name if row.agency_id else "",
                date=row.received_at.isoformat(),
                status=str(row.get_status_display()),
            )
        return data


class StakeSerializer(serializers.Serializer):
    code = serializers.CharField()
    current_score = serializers.DecimalField(max_digits=6, decimal_places=2)
    predicted_score = serializers.DecimalField(max_digits=6, decimal_places=2)
    points_at_stake = serializers.DecimalField(max_digits=6, decimal_places=2)


class PredictionSerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="agency_id", allow_null=True)
    name = serializers.CharField()
    current_score = serializers.DecimalField(
        max_digits=6, decimal_places=2, help_text="Điểm hiện tại (hồ sơ chưa đến hạn: trong hạn)"
    )
    predicted_score = serializers.DecimalField(
        max_digits=6, decimal_places=2, help_text="Dự báo cuối kỳ nếu không có thay đổi"
    )
    points_at_stake = serializers.DecimalField(max_digits=6, decimal_places=2)
    at_risk_count = serializers.IntegerField()
    criteria = StakeSerializer(many=True)


class AtRiskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField(allow_null=True)
    procedure = serializers.CharField(source="procedure_version.name")
    agency = serializers.CharField(source="receiving_agency.name")
    deadline = serializers.DateTimeField()
    status = serializers.CharField(source="get_status_display")
    current_step = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_current_step(self, dossier) -> str:
        return dossier.current_step.name if dossier.current_step_id else ""


class PeriodicRowSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True)
    code = serializers.CharField()
    name = serializers.CharField()
    received_total = serializers.IntegerField()
    received_online = serializers.IntegerField()
    received_offline = serializers.IntegerField()
    carried_over = serializers.IntegerField()
    processed_total = serializers.IntegerField()
    processed_early = serializers.IntegerField()
    processed_on_time = serializers.IntegerField()
    processed_late = serializers.IntegerField()
    in_progress_total = serializers.IntegerField()
    in_progress_on_time = serializers.IntegerField()
    in_progress_overdue = serializers.IntegerField()
    on_time_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    is_total = serializers.BooleanField()
