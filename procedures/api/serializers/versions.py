"""Staff serializers of procedure versions: the drafter's view and the edit bodies.

Input serializers only validate: the views hand ``validated_data`` to the
services, which are the only code that writes.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency

from ...models import (
    ApplicantType,
    ComponentRequirement,
    FeeItem,
    Field,
    LegalBasis,
    Level,
    OnlineLevel,
    ProcedureVersion,
    TimeKind,
    VersionStatus,
    WorkflowStep,
)
from ...models.catalogue import DEADLINE_MODE_CHOICES, TIME_UNIT_CHOICES, BudgetUnit, CopyKind
from ...workflow import allowed_actions
from .catalogue import (
    ComponentSerializer,
    FeeSerializer,
    LegalBasisSerializer,
    WorkflowStepSerializer,
)
from .shared import VERSION_CONTENT, AgencyRefSerializer, FieldRefSerializer


class StaffVersionSerializer(serializers.ModelSerializer):
    """A version as its drafters and reviewers see it."""

    procedure_id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(source="procedure.localised_code", read_only=True)
    status = serializers.ChoiceField(choices=VersionStatus.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()
    publication_task_id = serializers.IntegerField(read_only=True, allow_null=True)
    field = FieldRefSerializer(read_only=True)
    implementing_agency = AgencyRefSerializer(read_only=True, allow_null=True)
    coordinating_agencies = AgencyRefSerializer(many=True, read_only=True)
    applicant_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ApplicantType.choices), read_only=True
    )
    components = ComponentSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    legal_bases = LegalBasisSerializer(many=True, read_only=True)
    steps = WorkflowStepSerializer(many=True, read_only=True)

    class Meta:
        model = ProcedureVersion
        fields = [
            "id",
            "procedure_id",
            "code",
            "number",
            "status",
            "status_display",
            "allowed_actions",
            "problems",
            "publication_task_id",
            "change_type",
            "review_note",
            "valid_from",
            "valid_to",
            "decision_number",
            "decision_date",
            "submitted_at",
            "approved_at",
            "published_at",
            *VERSION_CONTENT,
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, version: ProcedureVersion) -> list[str]:
        """Transitions the lifecycle table allows from this status (permissions aside)."""
        return [a for a in allowed_actions(version.status) if a in ("submit", "approve", "return")]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_problems(self, version: ProcedureVersion) -> list[str]:
        """What still blocks submission (drafts only), computed from prefetched rows."""
        if version.status != VersionStatus.DRAFT:
            return []
        from ...services.validation import submission_errors

        return [str(e) for e in submission_errors(version)]


class ComponentInputSerializer(serializers.ModelSerializer):
    copy_kind = serializers.ChoiceField(choices=CopyKind.choices, default=CopyKind.ORIGINAL)

    class Meta:
        model = ComponentRequirement
        fields = ["order", "name", "copy_kind", "count", "required", "must_digitise", "note"]


class FeeInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeItem
        fields = ["kind", "name", "amount_vnd", "online_amount_vnd", "unit", "note"]


class LegalBasisInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalBasis
        fields = ["title", "effective_date"]


class WorkflowStepInputSerializer(serializers.ModelSerializer):
    actor_role = serializers.ChoiceField(choices=Role.choices)
    budget_unit = serializers.ChoiceField(
        choices=BudgetUnit.choices, default=BudgetUnit.WORKING_DAYS
    )
    unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Mã định danh của đơn vị chịu trách nhiệm."),
    )

    class Meta:
        model = WorkflowStep
        fields = [
            "order",
            "name",
            "actor_role",
            "actor_text",
            "unit",
            "citizen_status_text",
            "budget",
            "budget_unit",
            "counted",
        ]


class VersionUpdateSerializer(serializers.ModelSerializer):
    """PATCH body: any content field; each child list given replaces the old list."""

    field = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Field.objects.all(),
        required=False,
        help_text=_("Mã lĩnh vực."),
    )
    implementing_agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_("Mã định danh của cơ quan thực hiện."),
    )
    coordinating_agencies = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.filter(is_active=True),
        many=True,
        required=False,
        help_text=_("Mã định danh các cơ quan phối hợp."),
    )
    applicant_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ApplicantType.choices), required=False
    )
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    online_level = serializers.ChoiceField(choices=OnlineLevel.choices, required=False)
    time_kind = serializers.ChoiceField(choices=TimeKind.choices, required=False)
    time_unit = serializers.ChoiceField(choices=TIME_UNIT_CHOICES, required=False)
    deadline_mode = serializers.ChoiceField(choices=DEADLINE_MODE_CHOICES, required=False)
    components = ComponentInputSerializer(many=True, required=False)
    fees = FeeInputSerializer(many=True, required=False)
    legal_bases = LegalBasisInputSerializer(many=True, required=False)
    steps = WorkflowStepInputSerializer(many=True, required=False)
    procedure_code = serializers.CharField(
        required=False,
        max_length=32,
        help_text=_(
            "Mã TTHC, cho thủ tục chưa có mã (không trình được khi thiếu mã). "
            "Code of a procedure that has none yet (it cannot be submitted without one)."
        ),
    )

    CHILDREN = ("components", "fees", "legal_bases", "steps")

    class Meta:
        model = ProcedureVersion
        fields = [*VERSION_CONTENT, "procedure_code"]
        extra_kwargs = {name: {"required": False} for name in fields}

    def validate_steps(self, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
        orders = [step["order"] for step in steps]
        if len(orders) != len(set(orders)):
            raise serializers.ValidationError(_("Thứ tự các bước xử lý không được trùng nhau."))
        return steps

    def split(self) -> tuple[dict[str, Any], dict[str, list[dict]], list[Agency] | None]:
        """(content, children, coordinating agencies) for ``version_update``."""
        data = dict(self.validated_data)
        children = {name: data.pop(name) for name in self.CHILDREN if name in data}
        coordinating = data.pop("coordinating_agencies", None)
        return data, children, coordinating


class TransitionInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Ý kiến (bắt buộc khi trả lại)."),
    )
