"""Staff serializers of the publication workspace: ministry decisions, the
departments' publication tasks with their deadline states, and the chairman's decision."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tthc_portal.agencies.models import Agency

from ...models import (
    ChangeType,
    MinistryDecision,
    PublicationItem,
    PublicationTask,
    TaskStatus,
)
from ...services.publication import STATE_LABELS, task_deadlines, task_overall_state
from .shared import AgencyRefSerializer


class PublicationItemSerializer(serializers.ModelSerializer):
    change_type_display = serializers.CharField(source="get_change_type_display", read_only=True)
    responsible_agency = AgencyRefSerializer(read_only=True)
    procedure_id = serializers.IntegerField(read_only=True, allow_null=True)
    version_id = serializers.IntegerField(read_only=True, allow_null=True)
    version_status = serializers.CharField(
        source="version.status", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = PublicationItem
        fields = [
            "id",
            "procedure_id",
            "procedure_code",
            "procedure_name",
            "change_type",
            "change_type_display",
            "responsible_agency",
            "version_id",
            "version_status",
        ]
        read_only_fields = fields


class DeadlineStateSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    done = serializers.DateField(allow_null=True)
    state = serializers.CharField(
        help_text="pending | due_soon | overdue | on_time | late | n/a",
    )
    state_label = serializers.CharField()


class MinistryDecisionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = MinistryDecision
        fields = ["id", "number", "decision_date", "issuing_body", "legal_basis_effective_date"]
        read_only_fields = fields


class PublicationTaskSerializer(serializers.ModelSerializer):
    """A department's publication task with its deadline states as of today."""

    ministry_decision = MinistryDecisionRefSerializer(read_only=True)
    agency = AgencyRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=TaskStatus.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    deadlines = serializers.SerializerMethodField()
    overall_state = serializers.SerializerMethodField()
    items = PublicationItemSerializer(many=True, read_only=True)

    class Meta:
        model = PublicationTask
        fields = [
            "id",
            "ministry_decision",
            "agency",
            "status",
            "status_display",
            "list_due",
            "workflow_due",
            "decision_due",
            "posting_due",
            "lock_due",
            "workflow_done_on",
            "chairman_decision_number",
            "chairman_decision_date",
            "effective_date",
            "posted_on",
            "alert_level",
            "deadlines",
            "overall_state",
            "items",
        ]
        read_only_fields = fields

    def _states(self, task: PublicationTask) -> list:
        cached = getattr(task, "_api_deadlines", None)
        if cached is None:
            from django.utils import timezone

            from tthc_portal.workdays.services import get_calendar

            today: date = self.context.get("today") or timezone.localdate()
            calendar = self.context.get("calendar") or get_calendar()
            cached = task_deadlines(task, today, calendar)
            task._api_deadlines = cached
        return cached

    @extend_schema_field(DeadlineStateSerializer(many=True))
    def get_deadlines(self, task: PublicationTask) -> list[dict[str, Any]]:
        return [
            {
                "key": str(s.key),
                "label": str(s.label),
                "due": s.due,
                "done": s.done,
                "state": s.state,
                "state_label": str(STATE_LABELS[s.state]),
            }
            for s in self._states(task)
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_overall_state(self, task: PublicationTask) -> str:
        return task_overall_state(self._states(task))


class MinistryDecisionItemInputSerializer(serializers.Serializer):
    procedure_code = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default=""
    )
    procedure_name = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    change_type = serializers.ChoiceField(choices=ChangeType.choices)
    responsible_agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.filter(is_active=True),
        help_text=_("Mã định danh của đơn vị chủ trì."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs["procedure_code"] and not attrs["procedure_name"]:
            raise serializers.ValidationError(_("Cần mã hoặc tên thủ tục."))
        if attrs["change_type"] == ChangeType.NEW and not attrs["procedure_name"]:
            raise serializers.ValidationError(_("Thủ tục mới ban hành cần có tên."))
        return attrs


class MinistryDecisionInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=64)
    decision_date = serializers.DateField()
    issuing_body = serializers.CharField(max_length=255)
    legal_basis_effective_date = serializers.DateField(
        required=False, allow_null=True, default=None
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    items = MinistryDecisionItemInputSerializer(many=True, allow_empty=False)


class MinistryDecisionSerializer(serializers.ModelSerializer):
    items = PublicationItemSerializer(many=True, read_only=True)
    tasks = PublicationTaskSerializer(many=True, read_only=True)

    class Meta:
        model = MinistryDecision
        fields = [
            "id",
            "number",
            "decision_date",
            "issuing_body",
            "legal_basis_effective_date",
            "summary",
            "created_at",
            "items",
            "tasks",
        ]
        read_only_fields = fields


class ChairmanDecisionInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=64, help_text=_("Số quyết định công bố."))
    decision_date = serializers.DateField(help_text=_("Ngày ký quyết định."))
    effective_date = serializers.DateField(help_text=_("Ngày có hiệu lực."))
