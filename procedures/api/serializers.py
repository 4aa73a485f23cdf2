"""Serializers of the catalogue and publication API.

Read serializers describe rows the views fetch with fixed query counts (the
views select and prefetch every relation used here). Input serializers only
validate: the views hand ``validated_data`` to the services, which are the only
code that writes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency

from ..models import (
    ApplicantType,
    ChangeType,
    ComponentRequirement,
    FeeItem,
    Field,
    LegalBasis,
    Level,
    MinistryDecision,
    OnlineLevel,
    ProcedureVersion,
    PublicationItem,
    PublicationTask,
    TaskStatus,
    TimeKind,
    VersionStatus,
    WorkflowStep,
)
from ..models.catalogue import DEADLINE_MODE_CHOICES, TIME_UNIT_CHOICES, BudgetUnit, CopyKind
from ..services.publication import STATE_LABELS, task_deadlines, task_overall_state
from ..workflow import allowed_actions

# --- shared ------------------------------------------------------------------------


# The content a version carries (read and written through the API alike).
VERSION_CONTENT = [
    "name",
    "steps_text",
    "channel_in_person",
    "channel_online",
    "channel_postal",
    "channels_text",
    "applicant_types",
    "implementing_agency",
    "implementing_agency_text",
    "field",
    "level",
    "deciding_authority",
    "coordinating_agencies",
    "time_kind",
    "time_limit",
    "time_unit",
    "deadline_mode",
    "cutoff_time",
    "time_text",
    "time_stages",
    "time_outcomes",
    "supplement_clock_rule",
    "result_text",
    "paper_result",
    "online_level",
    "full_online_eligible",
    "conditions",
    "boundary_free",
    "is_internal",
    "internal_scope",
    "is_province_specific",
    "territorial_scope",
    "components",
    "fees",
    "legal_bases",
    "steps",
]


class ErrorSerializer(serializers.Serializer):
    """Body of every refused request (400 / 403 / 404)."""

    detail = serializers.CharField(help_text=_("Thông báo lỗi cho người dùng (tiếng Việt)."))
    errors = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_("Chi tiết từng điều kiện chưa đạt, nếu có."),
    )
    fields = serializers.DictField(
        required=False, help_text=_("Lỗi theo từng trường khi dữ liệu gửi lên không hợp lệ.")
    )


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name", "short_name"]
        read_only_fields = fields


class FieldRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["id", "code", "name"]
        read_only_fields = fields


class CatalogueFieldSerializer(serializers.ModelSerializer):
    procedure_count = serializers.IntegerField(
        read_only=True, help_text=_("Số thủ tục đang áp dụng thuộc lĩnh vực.")
    )

    class Meta:
        model = Field
        fields = ["id", "code", "name", "procedure_count"]
        read_only_fields = fields


# --- public catalogue ------------------------------------------------------------------


class ComponentSerializer(serializers.ModelSerializer):
    copy_kind_display = serializers.CharField(source="get_copy_kind_display", read_only=True)
    form_template = serializers.FileField(read_only=True, allow_null=True, use_url=True)

    class Meta:
        model = ComponentRequirement
        fields = [
            "id",
            "order",
            "name",
            "copy_kind",
            "copy_kind_display",
            "count",
            "required",
            "form_template",
            "must_digitise",
            "note",
        ]
        read_only_fields = fields


class FeeSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = FeeItem
        fields = [
            "id",
            "kind",
            "kind_display",
            "name",
            "amount_vnd",
            "online_amount_vnd",
            "unit",
            "note",
        ]
        read_only_fields = fields


class LegalBasisSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalBasis
        fields = ["id", "title", "effective_date"]
        read_only_fields = fields


class WorkflowStepSerializer(serializers.ModelSerializer):
    actor_role_display = serializers.CharField(source="get_actor_role_display", read_only=True)
    unit = AgencyRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = WorkflowStep
        fields = [
            "id",
            "order",
            "name",
            "actor_role",
            "actor_role_display",
            "actor_text",
            "unit",
            "citizen_status_text",
            "budget",
            "budget_unit",
            "counted",
        ]
        read_only_fields = fields


class CatalogueProcedureSerializer(serializers.ModelSerializer):
    """One procedure of the public catalogue, as its version in force."""

    id = serializers.IntegerField(
        source="procedure_id", read_only=True, help_text=_("Mã số của thủ tục trong cổng.")
    )
    version_id = serializers.IntegerField(source="pk", read_only=True)
    code = serializers.CharField(
        source="procedure.localised_code",
        read_only=True,
        help_text=_("Mã TTHC (kèm hậu tố địa phương nếu có)."),
    )
    base_code = serializers.CharField(
        source="procedure.code", read_only=True, allow_null=True, help_text=_("Mã TTHC cơ sở.")
    )
    field = FieldRefSerializer(read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    online_level_display = serializers.CharField(source="get_online_level_display", read_only=True)
    implementing_agency = AgencyRefSerializer(read_only=True, allow_null=True)
    time_unit_display = serializers.CharField(source="get_time_unit_display", read_only=True)
    channels = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ProcedureVersion
        fields = [
            "id",
            "version_id",
            "code",
            "base_code",
            "number",
            "name",
            "field",
            "level",
            "level_display",
            "online_level",
            "online_level_display",
            "implementing_agency",
            "implementing_agency_text",
            "time_limit",
            "time_unit",
            "time_unit_display",
            "time_text",
            "channels",
            "boundary_free",
            "valid_from",
        ]
        read_only_fields = fields


class CatalogueProcedureDetailSerializer(CatalogueProcedureSerializer):
    """Every published part of a procedure: components, fees, legal bases, workflow."""

    applicant_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ApplicantType.choices), read_only=True
    )
    coordinating_agencies = AgencyRefSerializer(many=True, read_only=True)
    components = ComponentSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    legal_bases = LegalBasisSerializer(many=True, read_only=True)
    workflow_steps = WorkflowStepSerializer(source="steps", many=True, read_only=True)

    class Meta(CatalogueProcedureSerializer.Meta):
        fields = [
            *CatalogueProcedureSerializer.Meta.fields,
            "steps_text",
            "channel_in_person",
            "channel_online",
            "channel_postal",
            "channels_text",
            "applicant_types",
            "deciding_authority",
            "coordinating_agencies",
            "time_kind",
            "time_stages",
            "time_outcomes",
            "deadline_mode",
            "cutoff_time",
            "supplement_clock_rule",
            "result_text",
            "paper_result",
            "full_online_eligible",
            "conditions",
            "is_province_specific",
            "territorial_scope",
            "decision_number",
            "decision_date",
            "valid_to",
            "components",
            "fees",
            "legal_bases",
            "workflow_steps",
        ]
        read_only_fields = fields


class CatalogueExportSerializer(serializers.Serializer):
    """The catalogue in the shape of procedures-sample.json."""

    count = serializers.IntegerField()
    procedures = serializers.ListField(child=serializers.DictField())


# --- staff: versions ---------------------------------------------------------------------


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
        from ..services.validation import submission_errors

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

    CHILDREN = ("components", "fees", "legal_bases", "steps")

    class Meta:
        model = ProcedureVersion
        fields = VERSION_CONTENT
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


# --- staff: publication ----------------------------------------------------------------


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
