"""Read serializers of the public catalogue.

They describe rows the views fetch with fixed query counts (the views select
and prefetch every relation used here).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ...models import (
    ApplicantType,
    ComponentRequirement,
    FeeItem,
    Field,
    LegalBasis,
    ProcedureVersion,
    WorkflowStep,
)
from .shared import AgencyRefSerializer, FieldRefSerializer


class CatalogueFieldSerializer(serializers.ModelSerializer):
    procedure_count = serializers.IntegerField(
        read_only=True, help_text=_("Số thủ tục đang áp dụng thuộc lĩnh vực.")
    )

    class Meta:
        model = Field
        fields = ["id", "code", "name", "procedure_count"]
        read_only_fields = fields


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
